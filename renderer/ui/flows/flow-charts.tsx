/**
 * The flow's charts (echarts, canvas renderer), one under the other, each with PNG and SVG
 * export: PNG is the canvas as drawn, SVG a separate SVG rendering of the same option. Colours
 * follow the theme's CSS variables.
 */
import { useEffect, useRef, type JSX } from 'react';
import type { FlowSeries, FlowSummary } from '../../engine/flows/types.js';
import { useView } from '../app-context.js';
import { CHARTS, chartFileName, chartOption, type ChartColors, type ChartKind } from './chart-options.js';
import { download, init, svgOf, type EChartsType } from './echarts-setup.js';

function readColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string): string => css.getPropertyValue(name).trim();
  return { text: v('--fg-muted'), grid: v('--border'), toServer: v('--flow-to-server'), toClient: v('--flow-to-client'), retrans: v('--flow-retrans'), probe: v('--flow-probe') };
}

interface ChartProps {
  readonly kind: ChartKind;
  readonly title: string;
  readonly flow: FlowSummary;
  readonly series: FlowSeries;
}

function FlowChart({ kind, title, flow, series }: ChartProps): JSX.Element {
  const theme = useView((s) => s.theme);
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const option = useRef<Record<string, unknown>>({});

  useEffect(() => {
    const el = box.current!;
    const c = init(el, null, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    option.current = chartOption(kind, flow, series, readColors());
    chart.current?.setOption(option.current, { notMerge: true });
    box.current!.dataset.drawn = `${flow.id}`;
  }, [kind, flow, series, theme]);

  const background = (): string => getComputedStyle(document.documentElement).getPropertyValue('--bg-panel').trim();
  const exportPng = (): void => {
    const url = chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background() });
    if (url) download(url, chartFileName(flow, kind, 'png'));
  };
  const exportSvg = (): void => {
    const el = box.current!;
    const svg = svgOf({ ...option.current, backgroundColor: background() }, el.clientWidth || 800, el.clientHeight || 260);
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    download(url, chartFileName(flow, kind, 'svg'));
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <figure className="flow-chart" aria-label={title}>
      <div className="flow-chart-tools">
        <button type="button" onClick={exportPng} aria-label={`Export ${title} as PNG`}>
          PNG
        </button>
        <button type="button" onClick={exportSvg} aria-label={`Export ${title} as SVG`}>
          SVG
        </button>
      </div>
      <div className="flow-chart-canvas" ref={box} data-kind={kind} />
    </figure>
  );
}

export function FlowCharts({ flow, series }: { flow: FlowSummary; series: FlowSeries }): JSX.Element {
  return (
    <section className="flow-charts" aria-label="Flow charts">
      {CHARTS.map((c) => (
        <FlowChart key={c.kind} kind={c.kind} title={c.title} flow={flow} series={series} />
      ))}
    </section>
  );
}

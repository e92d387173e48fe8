/**
 * echarts as the flow charts use it: only the line and scatter charts, the components they
 * show, and both renderers (canvas on screen and for PNG, SVG for SVG export), so the bundle
 * carries nothing else. None of these parts evaluates code (the renderer's CSP has no 'unsafe-eval').
 */
import { LineChart, ScatterChart } from 'echarts/charts';
import { DataZoomInsideComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

use([LineChart, ScatterChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, DataZoomInsideComponent, CanvasRenderer, SVGRenderer]);

export { init };
export type { EChartsType } from 'echarts/core';

/** The chart drawn as an SVG document, by a server-side style SVG instance (no DOM of its own). */
export function svgOf(option: Record<string, unknown>, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Saves `url` as `name` the way a browser downloads a link (the browser host has no file dialog). */
export function download(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

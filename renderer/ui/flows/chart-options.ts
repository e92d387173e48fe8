/**
 * The flow charts as echarts options, built from the engine's FlowSeries: throughput each way,
 * sequence numbers over time (Stevens) with retransmissions marked, RTT and cwnd from tcp.probe,
 * receive windows. Times are ms since the flow's first event. Pure data: no DOM, no echarts import.
 */
import type { FlowSeries, FlowSummary, Series } from '../../engine/flows/types.js';

export type ChartKind = 'throughput' | 'sequence' | 'rtt' | 'window';

export const CHARTS: readonly { readonly kind: ChartKind; readonly title: string }[] = [
  { kind: 'throughput', title: 'Throughput' },
  { kind: 'sequence', title: 'Sequence numbers (Stevens)' },
  { kind: 'rtt', title: 'RTT and cwnd (tcp.probe)' },
  { kind: 'window', title: 'Receive window' },
];

export interface ChartColors {
  readonly text: string;
  readonly grid: string;
  readonly toServer: string;
  readonly toClient: string;
  readonly retrans: string;
  readonly probe: string;
}

type Point = [number, number];

/** [ms since `t0`, value × scale] pairs of a series. */
export function points(s: Series, t0: number, scale = 1): Point[] {
  const out: Point[] = new Array<Point>(s.t.length);
  for (let i = 0; i < s.t.length; i++) out[i] = [(s.t[i]! - t0) / 1e6, s.v[i]! * scale];
  return out;
}

const line = (name: string, data: Point[], color: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'line',
  name,
  data,
  showSymbol: false,
  color,
  lineStyle: { width: 1.5 },
  ...extra,
});

const scatter = (name: string, data: Point[], color: string, symbol = 'circle', size = 4): Record<string, unknown> => ({ type: 'scatter', name, data, color, symbol, symbolSize: size });

function axes(c: ChartColors, yName: string, y2Name?: string): Record<string, unknown> {
  const axis = { axisLine: { lineStyle: { color: c.grid } }, axisLabel: { color: c.text }, nameTextStyle: { color: c.text }, splitLine: { lineStyle: { color: c.grid } } };
  const y: Record<string, unknown>[] = [{ type: 'value', name: yName, scale: true, ...axis }];
  if (y2Name) y.push({ type: 'value', name: y2Name, scale: true, ...axis, splitLine: { show: false } });
  return { xAxis: { type: 'value', name: 'ms', scale: true, ...axis }, yAxis: y };
}

/** Which chart's series hold nothing (a short note replaces the empty plot's meaning). */
export function emptyNote(kind: ChartKind, s: FlowSeries): string | null {
  const none = (...list: Series[]): boolean => list.every((x) => x.t.length === 0);
  if (kind === 'sequence' && none(s.seqToServer, s.seqToClient)) return 'No data segments in this flow.';
  if (kind === 'rtt' && none(s.srttNs, s.cwnd)) return 'No tcp.probe samples (live captures with tcp.probe enabled have them).';
  if (kind === 'window' && none(s.windowToServer, s.windowToClient, s.rcvWnd)) return 'No segments after the handshake.';
  return null;
}

/** The echarts option of chart `kind` for one flow. */
export function chartOption(kind: ChartKind, flow: FlowSummary, s: FlowSeries, c: ChartColors): Record<string, unknown> {
  const t0 = flow.firstTs;
  const title = CHARTS.find((x) => x.kind === kind)!.title;
  const note = emptyNote(kind, s);
  const base = {
    animation: false,
    title: { text: title, subtext: note ?? '', left: 'center', textStyle: { color: c.text, fontSize: 13 }, subtextStyle: { color: c.text } },
    legend: { bottom: 0, textStyle: { color: c.text } },
    // a note under the title pushes the plot (and its axis names) down
    grid: { left: 64, right: kind === 'rtt' ? 64 : 24, top: note ? 72 : 52, bottom: 56 },
    tooltip: { trigger: kind === 'sequence' ? 'item' : 'axis' },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
  };
  switch (kind) {
    case 'throughput':
      return {
        ...base,
        ...axes(c, 'bytes/s'),
        series: [
          line('client → server', points(s.throughputToServer, t0), c.toServer, { step: 'start' }),
          line('server → client', points(s.throughputToClient, t0), c.toClient, { step: 'start' }),
        ],
      };
    case 'sequence':
      return {
        ...base,
        ...axes(c, 'relative seq'),
        series: [
          scatter('client → server', points(s.seqToServer, t0), c.toServer),
          scatter('server → client', points(s.seqToClient, t0), c.toClient),
          scatter('retransmission', [...points(s.retransToServer, t0), ...points(s.retransToClient, t0)], c.retrans, 'triangle', 9),
        ],
      };
    case 'rtt':
      return {
        ...base,
        ...axes(c, 'srtt ms', 'cwnd (segments)'),
        series: [line('smoothed RTT', points(s.srttNs, t0, 1e-6), c.probe), line('cwnd', points(s.cwnd, t0), c.toServer, { yAxisIndex: 1, step: 'end' })],
      };
    case 'window':
      return {
        ...base,
        ...axes(c, 'bytes'),
        series: [
          line('advertised by the client', points(s.windowToServer, t0), c.toServer, { step: 'end' }),
          line('advertised by the server', points(s.windowToClient, t0), c.toClient, { step: 'end' }),
          line('rcv_wnd (tcp.probe)', points(s.rcvWnd, t0), c.probe, { step: 'end', lineStyle: { type: 'dashed' } }),
        ],
      };
  }
}

/** A file name for an exported chart: flow-127.0.0.1_5000-127.0.0.1_80-throughput.png. */
export function chartFileName(flow: FlowSummary, kind: ChartKind, ext: 'png' | 'svg'): string {
  const end = (e: FlowSummary['client']): string => `${e.addr}_${e.port}`.replace(/[^0-9A-Za-z._-]/g, '_');
  return `flow-${end(flow.client)}-${end(flow.server)}-${kind}.${ext}`;
}

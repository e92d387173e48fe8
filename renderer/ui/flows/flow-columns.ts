/** The flow list's columns: header, width, the engine sort key (if sortable) and the cell text. */
import type { FlowSortKey, FlowSummary } from '../../engine/flows/types.js';
import { bytesText, countText, durationText, endpointText } from './format.js';

export interface FlowColumn {
  readonly key: string;
  readonly label: string;
  /** CSS grid width. */
  readonly width: string;
  readonly sort: FlowSortKey | null;
  text(f: FlowSummary): string;
}

const handshake = (f: FlowSummary): string => {
  const h = f.handshake;
  const by = h.status === 'refused' && h.reset ? ` by ${h.reset.by}` : '';
  const retx = h.synRetransmits ? ` (${h.synRetransmits} SYN retx)` : '';
  return `${h.status}${by}${retx}${h.slow ? ', slow' : ''}`;
};

export const FLOW_COLUMNS: readonly FlowColumn[] = [
  { key: 'start', label: 'Start', width: '6.5rem', sort: 'start', text: (f) => `${(f.firstTs / 1e9).toFixed(6)} s` },
  { key: 'client', label: 'Client', width: '11rem', sort: null, text: (f) => endpointText(f.client) },
  { key: 'server', label: 'Server', width: '11rem', sort: null, text: (f) => endpointText(f.server) },
  { key: 'duration', label: 'Duration', width: '6rem', sort: 'duration', text: (f) => durationText(f.lastTs - f.firstTs) },
  { key: 'packets', label: 'Pkts', width: '4rem', sort: 'packets', text: (f) => countText(f.packets) },
  { key: 'bytes_to_server', label: 'Bytes →', width: '6rem', sort: 'bytes_to_server', text: (f) => bytesText(f.bytesToServer) },
  { key: 'bytes_to_client', label: 'Bytes ←', width: '6rem', sort: 'bytes_to_client', text: (f) => bytesText(f.bytesToClient) },
  { key: 'retransmissions', label: 'Retx', width: '3.5rem', sort: 'retransmissions', text: (f) => countText(f.retransmissions) },
  { key: 'handshake', label: 'Handshake', width: '10rem', sort: 'handshake', text: handshake },
  { key: 'rtt', label: 'RTT', width: '6rem', sort: 'rtt', text: (f) => durationText(f.handshake.rttNs) },
  { key: 'end', label: 'End', width: '3rem', sort: null, text: (f) => f.teardown.end },
  { key: 'process', label: 'Process', width: '1fr', sort: 'process', text: (f) => (f.comm === null ? '' : `${f.comm}${f.pid === null ? '' : ` [${f.pid}]`}`) },
];

export const FLOW_GRID_TEMPLATE = FLOW_COLUMNS.map((c) => c.width).join(' ');

/**
 * The diagnosis of one flow in words: how the handshake went (and why, where the trace says),
 * the options each side offered and what was negotiated, the teardown, retransmissions and drops.
 */
import type { FlowSummary, ResetInfo, SynOptions } from '../../engine/flows/types.js';
import { countText, durationText, endpointText } from './format.js';

export interface DiagnosisLine {
  readonly term: string;
  readonly text: string;
}

function resetText(r: ResetInfo): string {
  const why = [r.dropReason && `drop reason ${r.dropReason}`, r.state && `state ${r.state}`].filter(Boolean).join(', ');
  return `RST by the ${r.by} during ${r.phase === 'handshake' ? 'the handshake' : r.phase === 'closing' ? 'the close' : 'the connection'}${why ? ` (${why})` : ''}`;
}

export function handshakeText(f: FlowSummary): string {
  const h = f.handshake;
  switch (h.status) {
    case 'established': {
      const parts = [`established in ${durationText(h.rttNs)}`];
      if (h.synToSynackNs !== null && h.synackToAckNs !== null) parts.push(`(SYN→SYN-ACK ${durationText(h.synToSynackNs)}, SYN-ACK→ACK ${durationText(h.synackToAckNs)})`);
      return parts.join(' ');
    }
    case 'refused':
      return `refused: ${h.reset ? resetText(h.reset) : 'RST'}${h.connectErrno ? `, connect ${h.connectErrno}` : ''}`;
    case 'timeout': {
      const backoff = h.synTimes.slice(1).map((t, i) => durationText(t - h.synTimes[i]!));
      return `timed out after ${h.synRetransmits} SYN retransmission${h.synRetransmits === 1 ? '' : 's'}${backoff.length ? ` (backoff ${backoff.join(', ')})` : ''}${h.connectErrno ? `, connect ${h.connectErrno}` : ''}`;
    }
    case 'incomplete':
      return `incomplete${h.reset ? `: ${resetText(h.reset)}` : ''}${h.connectErrno ? `, connect ${h.connectErrno}` : ''}`;
    case 'not_seen':
      return 'not seen (the trace starts after it)';
  }
}

function optionsText(o: SynOptions | null): string {
  if (!o) return 'no SYN seen';
  const parts = [o.mss === null ? 'no MSS' : `MSS ${o.mss}`, o.wscale === null ? 'no window scale' : `wscale ${o.wscale}`];
  if (o.sack) parts.push('SACK-permitted');
  if (o.timestamps) parts.push('timestamps');
  if (o.ecn) parts.push('ECN');
  return parts.join(', ');
}

function negotiatedText(f: FlowSummary): string {
  const h = f.handshake;
  const parts = [h.mss === null ? 'MSS unknown' : `MSS ${h.mss}`, h.wscale ? `wscale ${h.wscale.client}/${h.wscale.server} (client/server)` : 'no window scaling'];
  parts.push(h.sack ? 'SACK' : 'no SACK', h.timestamps ? 'timestamps' : 'no timestamps', h.ecn ? 'ECN' : 'no ECN');
  return parts.join(', ');
}

export function teardownText(f: FlowSummary): string {
  const t = f.teardown;
  if (t.end === 'rst' && t.reset) return resetText(t.reset);
  if (t.end === 'fin') {
    const order = t.finBy.length ? `FIN by ${t.finBy.join(', then ')}` : 'FIN';
    return `${order}${t.timeWait ? `; TIME_WAIT on the ${t.timeWait}` : ''}`;
  }
  return 'still open at the end of the trace';
}

/** Every line of the diagnosis, in reading order; flags (slow, half-open…) only when they apply. */
export function diagnosisLines(f: FlowSummary): DiagnosisLine[] {
  const h = f.handshake;
  const lines: DiagnosisLine[] = [
    { term: 'Connection', text: `${endpointText(f.client)} → ${endpointText(f.server)}${f.serverNames.length ? ` (${f.serverNames.join(', ')})` : ''}${f.direction ? `, ${f.direction}` : ''}` },
    { term: 'Handshake', text: handshakeText(f) },
  ];
  const notes = [
    h.synackRetransmits && `${h.synackRetransmits} SYN-ACK retransmission${h.synackRetransmits === 1 ? '' : 's'}`,
    h.simultaneousOpen && 'simultaneous open',
    h.halfOpen && 'half-open (SYN-ACK never acknowledged)',
    h.slow && 'slow handshake',
  ].filter((n): n is string => typeof n === 'string' && n !== '');
  if (notes.length) lines.push({ term: 'Notes', text: notes.join('; ') });
  if (h.client || h.server) {
    lines.push({ term: 'Client options', text: optionsText(h.client) }, { term: 'Server options', text: optionsText(h.server) });
    if (h.status === 'established') lines.push({ term: 'Negotiated', text: negotiatedText(f) });
  }
  lines.push({ term: 'Teardown', text: teardownText(f) });
  const retx = `${countText(f.retransmissions)} retransmitted segment${f.retransmissions === 1 ? '' : 's'}${f.kernelRetransmits ? ` (kernel: ${countText(f.kernelRetransmits)})` : ''}`;
  lines.push({ term: 'Retransmissions', text: retx });
  if (f.drops) lines.push({ term: 'Drops', text: `${countText(f.drops)} drop event${f.drops === 1 ? '' : 's'}` });
  lines.push({ term: 'Duration', text: `${durationText(f.lastTs - f.firstTs)}, ${countText(f.packets)} packets (${countText(f.packetsToServer)} → server, ${countText(f.packetsToClient)} → client)` });
  if (f.pid !== null || f.comm !== null) lines.push({ term: 'Process', text: `${f.comm ?? '?'}${f.pid === null ? '' : ` [${f.pid}]`}` });
  return lines;
}

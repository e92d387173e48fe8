/**
 * Words for the ladder diagram's items: the text drawn beside each arrow or mark, and the
 * accessible name of each (what screen readers read and tests find arrows by).
 */
import type { LadderItem, Side } from '../../engine/flows/types.js';
import { durationText } from './format.js';

export type PacketItem = Extract<LadderItem, { kind: 'packet' }>;

const other = (side: Side): Side => (side === 'client' ? 'server' : 'client');

/** The segment's flags as Wireshark writes them inside brackets: "SYN, ACK"; "none" for no flag. */
export function flagText(item: PacketItem): string {
  return item.flags.length ? item.flags.join(', ') : 'none';
}

const hasAck = (item: PacketItem): boolean => item.flags.includes('ACK');

/** The text on an arrow: flags, seq/ack (relative, or raw), payload length, window. */
export function packetText(item: PacketItem, raw: boolean): string {
  const seq = raw ? item.seq : item.relSeq;
  const ack = raw ? item.ack : item.relAck;
  const parts = [`[${flagText(item)}]`, `seq=${seq}`];
  if (hasAck(item)) parts.push(`ack=${ack}`);
  parts.push(`len=${item.len}`, `win=${item.window}`);
  if (item.retransmission) parts.push('retransmission');
  return parts.join(' ');
}

/** "SYN client→server seq 0 len 0 win 65495, raw seq 1234, retransmission, 1.0 ms after the previous item". */
export function packetLabel(item: PacketItem): string {
  const ack = hasAck(item) ? ` ack ${item.relAck}` : '';
  const rawAck = hasAck(item) ? ` ack ${item.ack}` : '';
  const retrans = item.retransmission ? ', retransmission' : '';
  return `${flagText(item)} ${item.from}→${other(item.from)} seq ${item.relSeq}${ack} len ${item.len} win ${item.window}, raw seq ${item.seq}${rawAck}${retrans}, ${durationText(item.dt)} after the previous item`;
}

/** sock.connect → connect. */
const callName = (event: string): string => event.replace(/^sock\./, '');

/** The text of a non-packet item (state change, socket call, other event, gap). */
export function itemText(item: Exclude<LadderItem, PacketItem>): string {
  switch (item.kind) {
    case 'state':
      return `${item.from || '?'} → ${item.to || '?'}`;
    case 'call': {
      const parts = [callName(item.event)];
      if (item.size !== null) parts.push(`${item.size} B`);
      if (item.latencyNs !== null) parts.push(`in ${durationText(item.latencyNs)}`);
      if (item.errno !== null) parts.push(item.errno);
      return parts.join(' ');
    }
    case 'mark':
      return item.detail ? `${item.event} ${item.detail}` : item.event;
    case 'gap':
      return `${durationText(item.durationNs)} without events`;
  }
}

/** The accessible name of a non-packet item: what it is, on which lifeline. */
export function itemLabel(item: Exclude<LadderItem, PacketItem>): string {
  switch (item.kind) {
    case 'state':
      return `${item.side} state ${itemText(item)}`;
    case 'call':
      return `${item.side} call ${itemText(item)}`;
    case 'mark':
      return `${item.side ?? 'flow'} event ${itemText(item)}`;
    case 'gap':
      return `gap: ${itemText(item)}`;
  }
}

/** Whether `row` (a selected table row) is this item: the packet as it left or as it arrived. */
export function itemHasRow(item: LadderItem, row: number): boolean {
  if (item.kind === 'gap') return false;
  return item.row === row || (item.kind === 'packet' && item.peerRow === row);
}

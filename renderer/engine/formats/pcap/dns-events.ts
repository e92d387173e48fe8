import { Buffer } from 'buffer';
import * as dnsPacket from 'dns-packet';
import type { ColumnWriter } from '../../store/batch-builder.js';
import { EV_DNS_ANSWER, EV_DNS_QUERY, type PacketRows } from './packet-rows.js';

/** DNS messages are at most 64 KiB; anything the packet claims beyond its bytes is not parsed. */
type Answer = dnsPacket.Answer;

/**
 * Turns DNS payloads (UDP/TCP port 53, mDNS 5353) into dns.query / dns.answer rows that repeat
 * the packet's addressing, and feeds A/AAAA answers, with every name of the CNAME chain that led
 * to them, into the store's DNS cache. A payload dns-packet cannot parse makes no DNS row.
 */
export class DnsDecoder {
  /** Payloads that did not parse as DNS. */
  malformed = 0;
  private readonly copied: (keyof PacketRows)[] = [
    'ipver', 'proto', 'saddr', 'daddr', 'sport', 'dport', 'size', 'direction', 'ifindex', 'ifname', 'pid', 'tid', 'comm', 'pktLen', 'udpLen',
  ];
  private readonly scratch = new Float64Array(this.copied.length);

  constructor(private readonly rows: PacketRows) {}

  /** `buf[p…end)` is a UDP payload; `row` the packet's row. */
  decodeUdp(buf: Uint8Array, p: number, end: number, row: number, ts: number): void {
    if (end - p < 12) return;
    this.decode(buf, p, end, row, ts);
  }

  /** `buf[p…end)` is a TCP payload: a 2-byte length, then the message (parsed when wholly present). */
  decodeTcp(buf: Uint8Array, p: number, end: number, row: number, ts: number): void {
    if (end - p < 14) return;
    const len = (buf[p]! << 8) | buf[p + 1]!;
    if (len < 12 || p + 2 + len > end) return;
    this.decode(buf, p + 2, p + 2 + len, row, ts);
  }

  private decode(buf: Uint8Array, p: number, end: number, row: number, ts: number): void {
    let msg: dnsPacket.Packet;
    try {
      msg = dnsPacket.decode(Buffer.from(buf.buffer, buf.byteOffset + p, end - p));
    } catch {
      this.malformed++;
      return;
    }
    const question = msg.questions?.[0];
    const isAnswer = msg.type === 'response';
    const values = this.scratch;
    const present = this.saveRow(row, values);
    const rows = this.rows;
    const r = rows.addRow(ts, isAnswer ? EV_DNS_ANSWER : EV_DNS_QUERY);
    for (let i = 0; i < this.copied.length; i++) if (present & (1 << i)) this.writer(i).set(r, values[i]!);
    rows.col('dns_id').set(r, msg.id ?? 0);
    if (question) {
      rows.setString('dns_name', r, question.name);
      rows.setString('dns_type', r, String(question.type));
    }
    if (isAnswer) {
      rows.setString('dns_rcode', r, (msg as { rcode?: string }).rcode ?? 'NOERROR');
      const answers = msg.answers ?? [];
      if (answers.length > 0) rows.setString('dns_answers', r, answers.map(answerText).join('; '));
      this.learnNames(answers);
    }
  }

  /** Copies the packet row's addressing into `values`; returns a bit per field present. */
  private saveRow(row: number, values: Float64Array): number {
    let present = 0;
    for (let i = 0; i < this.copied.length; i++) {
      const w = this.writer(i);
      if (w.used && (w.valid[row >>> 3]! & (1 << (row & 7))) !== 0) {
        values[i] = w.values[row]!;
        present |= 1 << i;
      }
    }
    return present;
  }

  private writer(i: number): ColumnWriter {
    return this.rows[this.copied[i]!] as ColumnWriter;
  }

  /** A/AAAA answers name their address; so does every name whose CNAME chain leads there. */
  private learnNames(answers: readonly Answer[]): void {
    const aliasesOf = new Map<string, string[]>(); // target → names that are CNAMEs of it
    for (const a of answers) {
      if (a.type === 'CNAME' && typeof a.data === 'string') {
        const key = a.data.toLowerCase();
        const list = aliasesOf.get(key) ?? [];
        list.push(a.name);
        aliasesOf.set(key, list);
      }
    }
    const addrs = this.rows.store.dicts.addrs;
    for (const a of answers) {
      if ((a.type !== 'A' && a.type !== 'AAAA') || typeof a.data !== 'string') continue;
      const id = addrs.internText(a.data);
      if (id === undefined) continue;
      const seen = new Set<string>();
      const queue = [a.name];
      while (queue.length > 0 && seen.size < 64) {
        const name = queue.shift()!;
        if (seen.has(name.toLowerCase())) continue;
        seen.add(name.toLowerCase());
        this.rows.store.dns.add(id, name);
        for (const alias of aliasesOf.get(name.toLowerCase()) ?? []) queue.push(alias);
      }
    }
  }
}

/** `name TYPE data` of one answer record. */
function answerText(a: Answer): string {
  return `${a.name} ${a.type} ${dataText((a as { data?: unknown }).data)}`;
}

function dataText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return Buffer.from(data).toString('hex');
  if (Array.isArray(data)) return data.map(dataText).join(' ');
  if (data && typeof data === 'object') {
    return Object.values(data as Record<string, unknown>)
      .map(dataText)
      .join(' ');
  }
  return data === undefined ? '' : String(data);
}

/**
 * DNS in live captures: the kernel copies the first bytes (up to 256) of each DNS message on
 * port 53 into its packet record; RecordDecoder hands them here (its onDnsPayload hook). Each
 * message that parses gives a dns.query / dns.answer row with the packet's addressing, and A/AAAA
 * answers (and the CNAME names leading to them) feed the store's DNS cache, so the addresses of
 * later connections carry names.
 *
 * When only dns.* was asked for, the kernel sends the record as dns.query and the row itself
 * becomes the DNS event; when pkt.udp/pkt.tcp was asked for too, the packet row stays and the DNS
 * event is a second row at the same time.
 *
 * A message crossing loopback or a veth pair is seen twice (sent, then received): its DNS event
 * is made once, from the first sighting; the packet rows keep both.
 */
import { Buffer } from 'node:buffer';
import * as dnsPacket from 'dns-packet';
import { eventIndex } from '../../renderer/engine/model/events.js';
import type { StoredFieldKey } from '../../renderer/engine/model/fields.js';
import type { BatchBuilder } from '../../renderer/engine/store/batch-builder.js';
import type { EventStore } from '../../renderer/engine/store/event-store.js';

const EV_DNS_QUERY = eventIndex('dns.query');
const EV_DNS_ANSWER = eventIndex('dns.answer');

/** What a DNS row repeats of its packet. */
const COPIED: readonly StoredFieldKey[] = [
  'source', 'cpu', 'pid', 'tid', 'comm', 'pid_owner', 'cgroup_id', 'socket_cookie', 'ipver', 'proto', 'saddr', 'daddr',
  'sport', 'dport', 'size', 'direction', 'ifindex', 'ifname', 'pkt_len', 'udp_len',
];

/** Longest CNAME chain followed back from an address. */
const MAX_CHAIN = 64;
/** The same message seen again within this time is the other end of the same hop, not a resend. */
const SAME_MESSAGE_NS = 50_000_000;
const RECENT_MAX = 1024;

export class CaptureDns {
  /** Payloads that did not parse as DNS (cut at 256 bytes, or not DNS at all). */
  malformed = 0;
  /** DNS messages that could not get their own row (the batch was full). */
  unrowed = 0;
  /** Messages seen a second time on the same hop, by key: when first seen (absolute ns). */
  private readonly recent = new Map<string, number>();

  constructor(private readonly store: EventStore) {}

  /** The RecordDecodeOptions.onDnsPayload hook. */
  readonly onPayload = (builder: BatchBuilder, row: number, payload: Uint8Array): void => {
    let msg: dnsPacket.Packet;
    try {
      msg = dnsPacket.decode(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
    } catch {
      this.malformed++;
      return;
    }
    const isAnswer = msg.type === 'response';
    if (this.seenBefore(builder, row, msg)) {
      const eventCol = builder.col('event');
      const own = eventCol.values[row] === EV_DNS_QUERY || eventCol.values[row] === EV_DNS_ANSWER;
      if (own && row === builder.length - 1) builder.dropLastRow();
      return;
    }
    const event = isAnswer ? EV_DNS_ANSWER : EV_DNS_QUERY;
    const target = this.rowFor(builder, row, event);
    if (target !== undefined) this.fill(builder, target, msg, isAnswer);
    if (isAnswer) this.learn(msg.answers ?? []);
  };

  /** True when this message (id, direction of the exchange, both ends) was just seen on its other side of the hop. */
  private seenBefore(builder: BatchBuilder, row: number, msg: dnsPacket.Packet): boolean {
    const at = Number(builder.baseNs) + builder.col('ts_ns').values[row]!;
    const value = (key: StoredFieldKey): number => {
      const w = builder.col(key);
      return w.has(row) ? w.values[row]! : -1;
    };
    const key = `${msg.id ?? 0}|${msg.type}|${value('saddr')}|${value('sport')}|${value('daddr')}|${value('dport')}`;
    const first = this.recent.get(key);
    if (first !== undefined && at - first >= 0 && at - first < SAME_MESSAGE_NS) return true;
    if (this.recent.size >= RECENT_MAX) this.recent.clear();
    this.recent.set(key, at);
    return false;
  }

  /** The row the DNS event goes in: the packet's own when the kernel sent it as DNS, else a copy. */
  private rowFor(builder: BatchBuilder, row: number, event: number): number | undefined {
    const eventCol = builder.col('event');
    const current = eventCol.values[row]!;
    if (current === EV_DNS_QUERY || current === EV_DNS_ANSWER) {
      eventCol.set(row, event);
      return row;
    }
    if (builder.full) {
      this.unrowed++;
      return undefined;
    }
    const copy = builder.addRow(builder.col('ts_ns').values[row]!, event);
    for (const key of COPIED) {
      const w = builder.col(key);
      if (w.used && (w.valid[row >>> 3]! & (1 << (row & 7))) !== 0) w.set(copy, w.values[row]!);
    }
    return copy;
  }

  private fill(builder: BatchBuilder, row: number, msg: dnsPacket.Packet, isAnswer: boolean): void {
    builder.col('dns_id').set(row, msg.id ?? 0);
    const question = msg.questions?.[0];
    if (question) {
      builder.setString('dns_name', row, question.name);
      builder.setString('dns_type', row, String(question.type));
    }
    if (!isAnswer) return;
    builder.setString('dns_rcode', row, (msg as { rcode?: string }).rcode ?? 'NOERROR');
    const answers = msg.answers ?? [];
    if (answers.length > 0) builder.setString('dns_answers', row, answers.map(answerText).join('; '));
  }

  /** A/AAAA answers name their address, and so does every name whose CNAME chain leads there. */
  private learn(answers: readonly dnsPacket.Answer[]): void {
    const aliases = new Map<string, string[]>();
    for (const a of answers) {
      if (a.type !== 'CNAME' || typeof a.data !== 'string') continue;
      const key = a.data.toLowerCase();
      aliases.set(key, [...(aliases.get(key) ?? []), a.name]);
    }
    for (const a of answers) {
      if ((a.type !== 'A' && a.type !== 'AAAA') || typeof a.data !== 'string') continue;
      const id = this.store.dicts.addrs.internText(a.data);
      if (id === undefined) continue;
      const seen = new Set<string>();
      const queue = [a.name];
      while (queue.length > 0 && seen.size < MAX_CHAIN) {
        const name = queue.shift()!;
        if (seen.has(name.toLowerCase())) continue;
        seen.add(name.toLowerCase());
        this.store.dns.add(id, name);
        queue.push(...(aliases.get(name.toLowerCase()) ?? []));
      }
    }
  }
}

function answerText(a: dnsPacket.Answer): string {
  const data = (a as { data?: unknown }).data;
  const text = typeof data === 'string' ? data : data instanceof Uint8Array ? Buffer.from(data).toString('hex') : JSON.stringify(data ?? '');
  return `${a.name} ${a.type} ${text}`;
}

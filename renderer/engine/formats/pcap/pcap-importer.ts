import { InputError } from '../../errors.js';
import type { EventStore } from '../../store/event-store.js';
import type { Importer } from '../importer.js';
import { ByteQueue } from './byte-queue.js';
import { DnsDecoder } from './dns-events.js';
import { PacketDecoder } from './packet-decoder.js';
import { PacketRows } from './packet-rows.js';
import { PcapReader } from './pcap-reader.js';
import { PcapngReader } from './pcapng-reader.js';

/** 'pcap' or 'pcapng' from the first 4 bytes of a file; undefined when it is neither. */
export function detectCaptureKind(head: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (head.length < 4) return undefined;
  const be = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  const le = (head[0]! | (head[1]! << 8) | (head[2]! << 16) | (head[3]! << 24)) >>> 0;
  if (be === 0x0a0d0d0a) return 'pcapng';
  for (const magic of [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34]) if (be === magic || le === magic) return 'pcap';
  return undefined;
}

/**
 * Imports a pcap or pcapng capture (recognised from its first bytes) into `store` as pkt.* and
 * dns.* events. Times are wall-clock (ns since the epoch); the store's base is the first packet.
 * `store.meta.extra.pcap` reports packets read, skipped packets by reason and malformed DNS.
 */
export function createPcapImporter(store: EventStore, name: string): Importer {
  const q = new ByteQueue();
  let reader: PcapReader | PcapngReader | undefined;
  let rows: PacketRows | undefined;
  let decoder: PacketDecoder | undefined;
  let dns: DnsDecoder | undefined;
  store.meta.wallOffsetNs = 0n;

  const open = (): PcapReader | PcapngReader | undefined => {
    if (q.available < 4) return undefined;
    const kind = detectCaptureKind(q.buf.subarray(q.start, q.start + 4));
    if (!kind) throw new InputError(`${name}: not a pcap or pcapng file`, q.consumed);
    rows = new PacketRows(store, kind);
    dns = new DnsDecoder(rows);
    decoder = new PacketDecoder(rows, dns);
    return kind === 'pcap' ? new PcapReader(q, rows, decoder) : new PcapngReader(q, rows, decoder);
  };

  const report = (): void => {
    if (!reader || !decoder || !dns) return;
    store.meta.extra.pcap = {
      packets: reader.packets,
      skipped: Object.fromEntries(decoder.skipped),
      dnsMalformed: dns.malformed,
    };
  };

  return {
    push(chunk: Uint8Array): void {
      q.push(chunk);
      reader ??= open();
      try {
        reader?.parse();
      } finally {
        q.settle();
      }
    },
    end(): void {
      reader ??= open();
      if (!reader) throw new InputError('file too short for a capture header', 0);
      if (reader instanceof PcapReader && !reader.headerRead) {
        throw new InputError(reader.leftoverMessage(q.available), q.consumed);
      }
      if (q.available > 0) store.meta.truncated = { atByte: q.consumed, message: reader.leftoverMessage(q.available) };
      rows?.flush();
      report();
    },
  };
}

import { InputError } from '../../errors.js';
import { Dir, parseFlagNames, protoNumber, protoName } from '../../model/enums.js';
import { errnoNumber } from '../../model/errno.js';
import { eventIndex } from '../../model/events.js';
import type { BatchBuilder } from '../../store/batch-builder.js';
import type { EventStore } from '../../store/event-store.js';
import type { Importer } from '../importer.js';
import { CSV_COLUMNS, CSV_HEADER, CSV_MSG_FLAGS, Col } from './csv-layout.js';
import { CsvLineSplitter, type CsvLine } from './csv-lines.js';

const SEND = eventIndex('sock.send');
const RECV = eventIndex('sock.recv');
const SEND_ERROR = eventIndex('sock.send_error');
const RECV_ERROR = eventIndex('sock.recv_error');
const EAGAIN = 11;
/** Rows further than this from the batch's time base start a new batch (f64 stays exact). */
const MAX_REL_NS = 2 ** 52;

/**
 * Reads the seed CSV layout. Each line is a socket call: `send` → sock.send, `receive` →
 * sock.recv; a line with an Error other than EAGAIN is a failed call (sock.send_error /
 * sock.recv_error), as EVENTS.md classes them. Timestamps are read as UTC. The line ending and
 * whether the last line ends with one are kept (meta.extra.csv) so export writes the same bytes.
 */
class CsvImporter implements Importer {
  private readonly lines = new CsvLineSplitter();
  private builder: BatchBuilder | undefined;
  private baseSec = 0;
  private readonly addrCache = new Map<string, number>();
  private readonly strings;
  private readonly csvSource: number;

  constructor(private readonly store: EventStore) {
    this.strings = store.dicts;
    this.csvSource = store.dicts.strings('source').intern('csv');
  }

  push(chunk: Uint8Array): void {
    this.lines.push(chunk, (line) => this.take(line));
  }

  end(): void {
    const cut = this.lines.end((line) => this.takeWhole(line));
    if (this.lines.lineCount === 0) throw new InputError('empty input', 0);
    const b = this.builder?.finish();
    if (b) this.store.append(b);
    this.store.meta.extra.csv = { eol: this.lines.eol, final_eol: this.lines.finalEol };
    if (cut) {
      this.store.meta.truncated = {
        atByte: cut.offset,
        message: `input ends inside line ${cut.line} at byte ${cut.offset + cut.bytes}: kept ${this.store.rowCount} events; the last ${cut.bytes} bytes (an incomplete line) were dropped`,
      };
    }
  }

  /** take(), leaving no half-filled row behind when the line turns out bad (a cut last line). */
  private takeWhole(line: CsvLine): void {
    const before = this.store.rowCount + (this.builder?.length ?? 0);
    try {
      this.take(line);
    } catch (e) {
      if (this.builder && this.store.rowCount + this.builder.length > before) this.builder.dropLastRow();
      throw e;
    }
  }

  private take(line: CsvLine): void {
    if (line.number === 1) {
      if (line.text() !== CSV_HEADER) throw new InputError('not the seed CSV layout: the header line differs', line.offset);
      return;
    }
    if (line.fieldCount !== CSV_COLUMNS.length) {
      throw new InputError(`line ${line.number}: ${line.fieldCount} fields, expected ${CSV_COLUMNS.length}`, line.offset);
    }
    const fail = (c: number, what: string): never => {
      throw new InputError(`line ${line.number}, ${CSV_COLUMNS[c]}: ${what}`, line.fieldOffset(c));
    };
    const uint = (c: number, max: number): number | undefined => {
      const v = line.uint(c);
      if (v === -2) return undefined;
      if (v < 0 || v > max) fail(c, `${JSON.stringify(line.field(c))} is not a number from 0 to ${max}`);
      return v;
    };

    const sec = line.timestamp(Col.ts);
    if (sec === undefined) fail(Col.ts, `${JSON.stringify(line.field(Col.ts))} is not YYYY-MM-DD HH:MM:SS.ffffff`);
    const micros = line.uint(Col.ts, 20, 26);
    let b = this.builder;
    if (!b) {
      this.baseSec = sec!;
      b = this.builder = this.store.builder(BigInt(sec!) * 1_000_000_000n);
    }
    let rel = (sec! - this.baseSec) * 1e9 + micros * 1000;
    if (b.full || Math.abs(rel) > MAX_REL_NS) {
      const done = b.finish();
      if (done) this.store.append(done);
      if (Math.abs(rel) > MAX_REL_NS) {
        this.baseSec = sec!;
        b.baseNs = BigInt(sec!) * 1_000_000_000n;
        rel = micros * 1000;
      }
    }

    const dirText = line.field(Col.direction);
    if (dirText !== 'send' && dirText !== 'receive') fail(Col.direction, `${JSON.stringify(dirText)} is not send or receive`);
    const errText = line.field(Col.error);
    const errno = errText === '' ? undefined : errnoNumber(errText);
    if (errno === undefined && errText !== '') fail(Col.error, `${JSON.stringify(errText)} is not an errno name`);
    const failed = errno !== undefined && errno !== EAGAIN;
    const isSend = dirText === 'send';
    const r = b.addRow(rel, isSend ? (failed ? SEND_ERROR : SEND) : failed ? RECV_ERROR : RECV);
    b.col('source').set(r, this.csvSource);
    b.col('direction').set(r, isSend ? Dir.send : Dir.receive);
    if (errno !== undefined) b.col('errno').set(r, errno);

    const pid = uint(Col.pid, 0xffffffff);
    if (pid !== undefined) b.col('pid').set(r, pid);
    const comm = line.field(Col.comm);
    if (comm !== '' || line.quoted(Col.comm)) b.col('comm').set(r, this.strings.strings('comm').intern(comm));

    const protoText = line.field(Col.proto);
    if (protoText !== '') {
      const p = protoNumber(protoText);
      if (p === undefined || protoName(p) !== protoText) fail(Col.proto, `${JSON.stringify(protoText)} is not TCP or UDP`);
      b.col('proto').set(r, p!);
    }
    const ipver = uint(Col.ipver, 255);
    if (ipver !== undefined) {
      if (ipver !== 4 && ipver !== 6) fail(Col.ipver, `${ipver} is not 4 or 6`);
      b.col('ipver').set(r, ipver);
    }
    this.address(line, Col.saddr, r, 'saddr', fail);
    this.address(line, Col.daddr, r, 'daddr', fail);
    const sport = uint(Col.sport, 65535);
    if (sport !== undefined) b.col('sport').set(r, sport);
    const dport = uint(Col.dport, 65535);
    if (dport !== undefined) b.col('dport').set(r, dport);
    const size = uint(Col.size, 0xffffffff);
    if (size !== undefined) b.col('size').set(r, size);
    const latency = uint(Col.latency, Number.MAX_SAFE_INTEGER);
    if (latency !== undefined) b.col('latency_ns').set(r, latency);
    const flagsText = line.field(Col.flags);
    if (flagsText !== '') {
      const mask = flagsText.split('|').includes('') ? undefined : parseFlagNames(flagsText, CSV_MSG_FLAGS);
      if (mask === undefined) fail(Col.flags, `${JSON.stringify(flagsText)} holds an unknown MSG_* flag`);
      b.col('msg_flags').set(r, mask!);
    }
  }

  private address(
    line: CsvLine,
    c: number,
    row: number,
    key: 'saddr' | 'daddr',
    fail: (c: number, what: string) => never,
  ): void {
    const text = line.field(c);
    if (text === '') return;
    let id = this.addrCache.get(text);
    if (id === undefined) {
      id = this.store.dicts.addrs.internText(text);
      if (id === undefined) fail(c, `${JSON.stringify(text)} is not an IP address`);
      this.addrCache.set(text, id!);
    }
    this.builder!.col(key).set(row, id!);
  }
}

/** Importer for the seed CSV layout; `name` is for messages only. */
export function createCsvImporter(store: EventStore, name: string): Importer {
  void name;
  return new CsvImporter(store);
}

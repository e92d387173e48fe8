import { InputError } from '../../errors.js';

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const MAX_FIELDS = 64;
/** Fields whose last decoded text is kept for reuse (the seed layout has 14). */
const CACHED_FIELDS = 16;
/** A line longer than this is not the seed layout (its lines are ~150 bytes); stop buffering. */
const MAX_LINE_BYTES = 1 << 20;

const utf8 = new TextDecoder('utf-8');

/**
 * One CSV line (RFC 4180 quoting), read in place from the input bytes: fields are decoded only
 * when asked for, numbers straight from the bytes. The splitter reuses one object for all lines.
 */
export class CsvLine {
  number = 0;
  /** Absolute byte offset of the line's first byte. */
  offset = 0;
  fieldCount = 0;
  buf: Uint8Array = new Uint8Array(0);
  /** Offset of `buf[0]` in the input. */
  bufStart = 0;
  readonly starts = new Int32Array(MAX_FIELDS);
  readonly ends = new Int32Array(MAX_FIELDS);
  readonly quotes = new Uint8Array(MAX_FIELDS);
  private readonly cache: ({ bytes: Uint8Array; text: string } | undefined)[] = [];
  private dayKey = -1;
  private daySec = 0;

  fieldOffset(c: number): number {
    return this.bufStart + this.starts[c]! - this.quotes[c]!;
  }

  quoted(c: number): boolean {
    return this.quotes[c] === 1;
  }

  field(c: number): string {
    if (c >= this.fieldCount) return '';
    const s = this.starts[c]!;
    const e = this.ends[c]!;
    if (s === e) return '';
    // Values repeat from line to line (names, addresses, flags): reuse the string when the bytes match.
    const cached = this.cache[c];
    if (cached && cached.bytes.length === e - s) {
      let same = true;
      for (let i = s, j = 0; same && i < e; i++, j++) same = this.buf[i] === cached.bytes[j];
      if (same) return cached.text;
    }
    const raw = utf8.decode(this.buf.subarray(s, e));
    const text = this.quotes[c] ? raw.replaceAll('""', '"') : raw;
    if (c < CACHED_FIELDS) this.cache[c] = { bytes: this.buf.slice(s, e), text };
    return text;
  }

  /** The whole line as text (without its line ending). */
  text(): string {
    const s = this.starts[0]! - this.quotes[0]!;
    const e = this.ends[this.fieldCount - 1]! + this.quotes[this.fieldCount - 1]!;
    return utf8.decode(this.buf.subarray(s, e));
  }

  /** Decimal digits of field `c` (bytes from..to of it): -2 when empty, -1 when not all digits. */
  uint(c: number, from = 0, to = Number.MAX_SAFE_INTEGER): number {
    const s = this.starts[c]! + from;
    const e = Math.min(this.ends[c]!, this.starts[c]! + to);
    if (e <= s) return -2;
    if (e - s > 16) return -1;
    let v = 0;
    for (let i = s; i < e; i++) {
      const d = this.buf[i]! - 0x30;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  }

  /** `YYYY-MM-DD HH:MM:SS.ffffff` (UTC) → whole seconds since the epoch; undefined when malformed. */
  timestamp(c: number): number | undefined {
    const s = this.starts[c]!;
    if (this.ends[c]! - s !== 26) return undefined;
    const b = this.buf;
    if (b[s + 4] !== 0x2d || b[s + 7] !== 0x2d || b[s + 10] !== 0x20 || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a || b[s + 19] !== 0x2e) return undefined;
    const y = this.uint(c, 0, 4);
    const mo = this.uint(c, 5, 7);
    const d = this.uint(c, 8, 10);
    const h = this.uint(c, 11, 13);
    const mi = this.uint(c, 14, 16);
    const se = this.uint(c, 17, 19);
    if (this.uint(c, 20, 26) < 0 || y < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return undefined;
    const key = y * 10000 + mo * 100 + d;
    if (key !== this.dayKey) {
      const ms = Date.UTC(y, mo - 1, d);
      const check = new Date(ms);
      // Date.UTC rolls 02-30 over to 03-02; such a date would not export back as written.
      if (mo < 1 || mo > 12 || d < 1 || check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined;
      this.dayKey = key;
      this.daySec = ms / 1000;
    }
    return this.daySec + h * 3600 + mi * 60 + se;
  }
}

/** Where the input stopped inside a line that could not be read. */
export interface CsvCut {
  line: number;
  offset: number;
  bytes: number;
}

/**
 * Splits pushed bytes into CSV lines (quoted fields may hold commas, quotes and line breaks). Keeps
 * the line ending of the first line and whether the input's last line ends with one.
 */
export class CsvLineSplitter {
  private rest: Uint8Array = new Uint8Array(0);
  private restStart = 0;
  private readonly line = new CsvLine();
  lineCount = 0;
  eol: '\n' | '\r\n' = '\n';
  finalEol = true;

  push(chunk: Uint8Array, onLine: (line: CsvLine) => void): void {
    let buf = chunk;
    if (this.rest.length > 0) {
      buf = new Uint8Array(this.rest.length + chunk.length);
      buf.set(this.rest);
      buf.set(chunk, this.rest.length);
    }
    let at = 0;
    for (;;) {
      const next = this.split(buf, at, false);
      if (next < 0) break;
      onLine(this.line);
      at = next;
    }
    this.rest = buf.slice(at);
    this.restStart += at;
    if (this.rest.length > MAX_LINE_BYTES) throw new InputError(`line ${this.lineCount + 1} is longer than ${MAX_LINE_BYTES} bytes`, this.restStart);
  }

  /** Reads a last line without a line ending; returns where the input was cut if it cannot be read. */
  end(onLine: (line: CsvLine) => void): CsvCut | undefined {
    if (this.rest.length === 0) return undefined;
    const size = this.rest.length;
    const cut = { line: this.lineCount + 1, offset: this.restStart, bytes: size };
    if (this.split(this.rest, 0, true) < 0) return cut;
    this.finalEol = false;
    try {
      onLine(this.line);
    } catch (e) {
      // A last line that stops short reads as damage; it is the input having been cut.
      if (e instanceof InputError && this.line.number > 1) return cut;
      throw e;
    }
    this.rest = new Uint8Array(0);
    return undefined;
  }

  /** Parses the line at `at`; returns the offset after it, or -1 when more input is needed. */
  private split(buf: Uint8Array, at: number, atEnd: boolean): number {
    const L = this.line;
    let i = at;
    let n = 0;
    for (;;) {
      let start = i;
      let end: number;
      let quoted = 0;
      if (buf[i] === QUOTE) {
        quoted = 1;
        start = ++i;
        for (;;) {
          if (i >= buf.length) return -1;
          if (buf[i] === QUOTE) {
            if (buf[i + 1] === QUOTE) i += 2;
            else if (i + 1 >= buf.length && !atEnd) return -1;
            else break;
          } else i++;
        }
        end = i++;
      } else {
        while (i < buf.length && buf[i] !== COMMA && buf[i] !== LF) i++;
        end = i;
      }
      if (i >= buf.length && !atEnd) return -1;
      let sep = buf[i];
      if (quoted && sep === CR && buf[i + 1] === LF) sep = buf[++i];
      if (sep === LF && end > start && buf[end - 1] === CR && !quoted) end--;
      if (n < MAX_FIELDS) {
        L.starts[n] = start;
        L.ends[n] = end;
        L.quotes[n] = quoted;
      }
      n++;
      if (sep === COMMA) {
        i++;
        continue;
      }
      if (sep !== LF && i < buf.length) throw new InputError(`line ${this.lineCount + 1}: text after a closing quote`, this.restStart + i);
      if (this.lineCount === 0) this.eol = sep === LF && i > at && buf[i - 1] === CR ? '\r\n' : '\n';
      L.number = ++this.lineCount;
      L.offset = this.restStart + at;
      L.fieldCount = Math.min(n, MAX_FIELDS + 1);
      L.buf = buf;
      L.bufStart = this.restStart;
      return sep === LF ? i + 1 : i;
    }
  }
}

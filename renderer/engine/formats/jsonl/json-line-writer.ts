import { TcpOpt } from '../../model/enums.js';
import { EVENTS, PRIORITIES } from '../../model/events.js';
import { FIELDS, type FieldDef } from '../../model/fields.js';
import { serviceName } from '../../names/ports.js';
import { slotOf, type Column, type EventBatch } from '../../store/batch.js';
import type { EventStore } from '../../store/event-store.js';
import { NAMED_NUMBER_KEYS, TCP_OPTION_PARTS, shownValue } from '../../values/field-values.js';
import { isoMicros } from '../../values/time.js';

/**
 * The JSON Lines text of rows, byte for byte what `toJson(RowReader.object(…))` gives, without an
 * object or a JSON.stringify per row: per batch, each field present becomes one small function
 * that returns its `,"key":value` text (or '' for a row without a value), and texts of names,
 * strings and addresses are made once per distinct value.
 */

/** Text of a field of one row: `,"key":value`, or '' when the row has none. */
type Emit = (row: number) => string;
/** Stored number of one row, or undefined. */
type Get = (row: number) => number | undefined;

/** Memo entries per field beyond which texts are made on each use (flag masks can be many). */
const MEMO_LIMIT = 4096;

const numText = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');
const has = (valid: Uint8Array | null, r: number): boolean => valid === null || (valid[r >>> 3]! & (1 << (r & 7))) !== 0;

function getter(col: Column): Get {
  const valid = col.valid;
  switch (col.form) {
    case 'dense': {
      const values = col.values;
      return (r) => (has(valid, r) ? values[r] : undefined);
    }
    case 'const': {
      const v = col.value;
      return (r) => (has(valid, r) ? v : undefined);
    }
    case 'sparse':
      return (r) => (has(valid, r) ? col.packed[slotOf(col, r)] : undefined);
  }
}

/** `prefix + text(value)` for rows with a value; the text of a constant column is made once. */
function columnEmit(col: Column, prefix: string, text: (v: number) => string): Emit {
  const valid = col.valid;
  if (col.form === 'const') {
    const t = prefix + text(col.value);
    return valid === null ? () => t : (r) => (has(valid, r) ? t : '');
  }
  if (col.form === 'dense' && valid === null) {
    const values = col.values;
    return (r) => prefix + text(values[r]!);
  }
  const get = getter(col);
  return (r) => {
    const v = get(r);
    return v === undefined ? '' : prefix + text(v);
  };
}

export class JsonLineWriter {
  /** Per field key: JSON text of each shown value, by stored number. */
  private readonly memos = new Map<string, Map<number, string>>();
  private readonly eventTexts = EVENTS.map(
    (e) => `,"event":${JSON.stringify(e.id)},"class":${JSON.stringify(e.class)},"priority":${JSON.stringify(PRIORITIES[e.priority - 1]!)}`,
  );
  private readonly base: bigint;
  /** The store base and the wall-clock base (base + wall offset) as whole seconds and the ns rest. */
  private readonly baseSplit: readonly [number, number];
  private readonly wallSplit: readonly [number, number];
  private lastWallSecond = NaN;
  private lastWallPrefix = '';
  private readonly serviceMemos = new Map<string, (string | undefined)[]>();

  constructor(private readonly store: EventStore) {
    this.base = store.baseNs ?? 0n;
    const wall = this.base + store.meta.wallOffsetNs;
    this.baseSplit = [Number(this.base / 1_000_000_000n), Number(this.base % 1_000_000_000n)];
    this.wallSplit = [Number(wall / 1_000_000_000n), Number(wall % 1_000_000_000n)];
  }

  /** A function writing the line (with its newline) of each row of `batch`. */
  forBatch(batch: EventBatch): (row: number) => string {
    const c = batch.columns;
    const emits: Emit[] = [];
    for (const field of FIELDS) {
      const e = this.emitter(field, c);
      if (e) emits.push(e);
    }
    const ts = c.ts_ns;
    const ev = c.event;
    const getTs = ts ? getter(ts) : () => 0;
    const getEv = ev ? getter(ev) : () => 0;
    const n = emits.length;
    return (r) => {
      let line = this.head(getTs(r) ?? 0) + this.eventTexts[getEv(r) ?? 0]!;
      for (let i = 0; i < n; i++) line += emits[i]!(r);
      return line + '}\n';
    };
  }

  /** `{"ts_ns":…,"time":"…"` of a row `rel` ns after the store base. */
  private head(rel: number): string {
    const sec = seconds(rel, this.baseSplit);
    const ns = restNs;
    const wsec = seconds(rel, this.wallSplit);
    const wns = restNs;
    // Exact in numbers while |rel| < 2^52; other rows (and times before 1970) take the bigint path.
    if (!(sec > 0 && wsec >= 0 && Number.isSafeInteger(wsec) && Math.abs(rel) < 2 ** 52)) {
      const abs = this.base + BigInt(rel);
      return `{"ts_ns":${abs},"time":"${isoMicros(abs + this.store.meta.wallOffsetNs)}"`;
    }
    if (wsec !== this.lastWallSecond) {
      this.lastWallSecond = wsec;
      this.lastWallPrefix = new Date(wsec * 1000).toISOString().slice(0, 19);
    }
    const nsText = String(ns);
    const micros = String(Math.floor(wns / 1000));
    return `{"ts_ns":${sec}${'000000000'.slice(nsText.length)}${nsText},"time":"${this.lastWallPrefix}.${'000000'.slice(micros.length)}${micros}Z"`;
  }

  private emitter(field: FieldDef, c: EventBatch['columns']): Emit | undefined {
    const key = field.key;
    const prefix = `,${JSON.stringify(key)}:`;
    switch (key) {
      case 'ts_ns':
      case 'time':
      case 'event':
      case 'class':
      case 'priority':
        return undefined; // written by the line head
      case 'sport_name':
      case 'dport_name':
        return this.serviceEmit(prefix, c[key === 'sport_name' ? 'sport' : 'dport'], c.proto);
      case 'saddr_names':
      case 'daddr_names':
        return this.namesEmit(prefix, c[key === 'saddr_names' ? 'saddr' : 'daddr']);
      case 'tcp_options':
        return this.optionsEmit(prefix, c);
    }
    const col = c[key];
    if (!col || TCP_OPTION_PARTS.has(key)) return undefined;
    if (field.storage === 'derived') throw new Error(`no JSON text for the derived field ${key}`);
    if (field.storage !== 'str' && field.storage !== 'addr' && !NAMED_NUMBER_KEYS.has(key)) return columnEmit(col, prefix, numText);
    return columnEmit(col, prefix, this.memoText(field));
  }

  /** JSON text of the shown value of a stored number, made once per distinct number. */
  private memoText(field: FieldDef): (v: number) => string {
    let memo = this.memos.get(field.key);
    if (!memo) this.memos.set(field.key, (memo = new Map()));
    const m = memo;
    return (v) => {
      let t = m.get(v);
      if (t === undefined) {
        t = JSON.stringify(shownValue(this.store, field, v));
        if (m.size < MEMO_LIMIT) m.set(v, t);
      }
      return t;
    };
  }

  private serviceEmit(prefix: string, portCol: Column | undefined, protoCol: Column | undefined): Emit | undefined {
    if (!portCol || !protoCol) return undefined;
    const port = getter(portCol);
    const proto = getter(protoCol);
    const texts = this.serviceTexts(prefix);
    return (r) => {
      const p = port(r);
      const pr = proto(r);
      if (p === undefined || (pr !== 6 && pr !== 17)) return '';
      const slot = (pr === 17 ? 0x10000 : 0) + p;
      let t = texts[slot];
      if (t === undefined) {
        const name = serviceName(p, pr);
        t = texts[slot] = name ? prefix + JSON.stringify(name) : '';
      }
      return t;
    };
  }

  /** Service-name texts by (UDP ? 65536 : 0) + port, for one key prefix. */
  private serviceTexts(prefix: string): (string | undefined)[] {
    let memo = this.serviceMemos.get(prefix);
    if (!memo) this.serviceMemos.set(prefix, (memo = new Array<string | undefined>(0x20000)));
    return memo;
  }

  private namesEmit(prefix: string, addrCol: Column | undefined): Emit | undefined {
    if (!addrCol || this.store.dns.size === 0) return undefined;
    const addr = getter(addrCol);
    const texts = new Map<number, string>();
    return (r) => {
      const id = addr(r);
      if (id === undefined) return '';
      let t = texts.get(id);
      if (t === undefined) {
        const names = this.store.dns.namesOf(id);
        t = names.length > 0 ? prefix + JSON.stringify(names) : '';
        texts.set(id, t);
      }
      return t;
    };
  }

  /** The `tcp_options` object: present options in a fixed order; values of absent columns left out. */
  private optionsEmit(prefix: string, c: EventBatch['columns']): Emit | undefined {
    if (!c.tcp_options) return undefined;
    const mask = getter(c.tcp_options);
    const none: Get = () => undefined;
    const mss = c.tcp_mss ? getter(c.tcp_mss) : none;
    const wscale = c.tcp_wscale ? getter(c.tcp_wscale) : none;
    const tsVal = c.tcp_ts_val ? getter(c.tcp_ts_val) : none;
    const tsEcr = c.tcp_ts_ecr ? getter(c.tcp_ts_ecr) : none;
    const part = (name: string, v: number | undefined): string => (v === undefined ? '' : `,"${name}":${numText(v)}`);
    return (r) => {
      const m = mask(r);
      if (m === undefined || m === 0) return '';
      let o = '';
      if (m & TcpOpt.MSS) o += part('mss', mss(r));
      if (m & TcpOpt.WSCALE) o += part('wscale', wscale(r));
      if (m & TcpOpt.SACK_PERM) o += ',"sack_permitted":true';
      if (m & TcpOpt.TIMESTAMPS) o += part('ts_val', tsVal(r)) + part('ts_ecr', tsEcr(r));
      if (m & TcpOpt.SACK) o += ',"sack":true';
      if (m & TcpOpt.FASTOPEN) o += ',"fastopen":true';
      if (m & TcpOpt.MPTCP) o += ',"mptcp":true';
      if (m & TcpOpt.OTHER) o += ',"other":true';
      return `${prefix}{${o.slice(1)}}`;
    };
  }
}

/** The ns part ([0, 1e9)) of the last `seconds` call. */
let restNs = 0;

/** Whole seconds of `base + rel` ns (base as [seconds, ns rest]); the ns rest goes to `restNs`. */
function seconds(rel: number, [baseSec, baseNs]: readonly [number, number]): number {
  const x = baseNs + rel;
  let carry = Math.floor(x / 1e9);
  let ns = x - carry * 1e9;
  // The division may round across a second boundary: settle ns into [0, 1e9).
  if (ns < 0) {
    carry--;
    ns += 1e9;
  } else if (ns >= 1e9) {
    carry++;
    ns -= 1e9;
  }
  restNs = ns;
  return baseSec + carry;
}

/**
 * One pcapng interface (IDB): link type, the clock (if_tsresol, if_tsoffset) and name. Converts
 * the 64-bit timestamps of its packets to ns relative to the store's base without losing
 * precision: each interface keeps its first timestamp and counts from it.
 */
export class PcapngInterface {
  /** Dictionary id of if_name, or -1. */
  ifnameId = -1;
  /** ifindex WireView wrote in if_description (`wireview:ifindex=N`), -1 = none given, undefined = use the IDB number. */
  ifindex: number | undefined;
  /** Units per second is 10^decimalExp (if_tsresol high bit clear) or 2^binaryExp. */
  private decimalExp = 6;
  private binaryExp = -1;
  private tsOffsetSec = 0n;
  private hi0 = 0;
  private lo0 = 0;
  private relBase = 0;
  private anchored = false;

  constructor(
    readonly linkType: number,
    readonly snapLen: number,
  ) {}

  setResolution(v: number): void {
    if (v & 0x80) {
      this.binaryExp = v & 0x7f;
    } else {
      this.binaryExp = -1;
      this.decimalExp = v;
    }
  }

  setOffsetSeconds(sec: bigint): void {
    this.tsOffsetSec = sec;
  }

  /** Absolute ns since the epoch of a timestamp (slow path: once per interface). */
  absoluteNs(hi: number, lo: number): bigint {
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    let ns: bigint;
    if (this.binaryExp >= 0) ns = (units * 1_000_000_000n) >> BigInt(this.binaryExp);
    else if (this.decimalExp <= 9) ns = units * 10n ** BigInt(9 - this.decimalExp);
    else ns = units / 10n ** BigInt(this.decimalExp - 9);
    return ns + this.tsOffsetSec * 1_000_000_000n;
  }

  /** ns since `storeBaseNs` of a packet stamped (hi, lo). */
  relativeNs(hi: number, lo: number, storeBaseNs: bigint): number {
    if (!this.anchored) {
      this.anchored = true;
      this.hi0 = hi;
      this.lo0 = lo;
      this.relBase = Number(this.absoluteNs(hi, lo) - storeBaseNs);
    }
    const units = (hi - this.hi0) * 4294967296 + (lo - this.lo0);
    let ns: number;
    if (this.binaryExp >= 0) ns = (units * 1e9) / 2 ** this.binaryExp;
    else if (this.decimalExp <= 9) ns = units * 10 ** (9 - this.decimalExp);
    else ns = units / 10 ** (this.decimalExp - 9);
    return this.relBase + Math.round(ns);
  }
}

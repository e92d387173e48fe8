import { grown } from './facts.js';

/**
 * The socket cookies of one flow in the order first seen, each with a small value (its side). A
 * flow has a few (client, server, listener): a linear search finds them as fast as a Set or a Map,
 * and emptying the list allocates nothing, where `clear()` on a Set or Map allocates a new table —
 * tens of thousands of times a build. Socket cookies come from live captures only, one per local
 * socket of the connection, so the list stays short whatever a trace holds.
 */
export class CookieList {
  private cookies = new Float64Array(8);
  private values = new Int8Array(8);
  /** Number of cookies. */
  size = 0;

  clear(): void {
    this.size = 0;
  }

  /** Index of the cookie, or −1. */
  indexOf(cookie: number): number {
    const cookies = this.cookies;
    for (let k = 0; k < this.size; k++) if (cookies[k] === cookie) return k;
    return -1;
  }

  has(cookie: number): boolean {
    return this.indexOf(cookie) >= 0;
  }

  /** Adds the cookie with its value unless it is there already (its value then stays). */
  add(cookie: number, value = 0): void {
    if (this.indexOf(cookie) >= 0) return;
    const n = this.size++;
    if (n === this.cookies.length) {
      this.cookies = grown(this.cookies, new Float64Array(n * 2));
      this.values = grown(this.values, new Int8Array(n * 2));
    }
    this.cookies[n] = cookie;
    this.values[n] = value;
  }

  /** The value of the cookie, or `missing`. */
  get(cookie: number, missing: number): number {
    const k = this.indexOf(cookie);
    return k < 0 ? missing : this.values[k]!;
  }

  /** The cookies, in the order first seen. */
  list(): number[] {
    return Array.from(this.cookies.subarray(0, this.size));
  }
}

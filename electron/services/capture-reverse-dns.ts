/**
 * Optional reverse lookups (off by default: they send the captured addresses to a DNS server).
 * New addresses of the store are looked up a few at a time, each with a timeout and one try;
 * names found join the DNS cache (written with the next batch). Addresses that already have names
 * from captured answers are not looked up.
 */
import { Resolver } from 'node:dns/promises';
import type { EventStore } from '../../renderer/engine/store/event-store.js';

export interface ReverseDnsOptions {
  readonly timeoutMs?: number;
  readonly maxInFlight?: number;
  /** Lookups per capture at most (a scan of many hosts must not become a flood of queries). */
  readonly maxLookups?: number;
  /** DNS servers to ask ("address" or "address:port", as Resolver.setServers takes them); default the system's. */
  readonly servers?: readonly string[];
}

export class ReverseDns {
  private readonly resolver: Resolver;
  private readonly queue: number[] = [];
  private scanned = 0;
  private inFlight = 0;
  private started = 0;
  private closed = false;
  /** Names learned, lookups that failed or timed out. */
  found = 0;
  failed = 0;

  constructor(
    private readonly store: EventStore,
    private readonly options: ReverseDnsOptions = {},
  ) {
    this.resolver = new Resolver({ timeout: options.timeoutMs ?? 1000, tries: 1 });
    if (options.servers) this.resolver.setServers(options.servers);
  }

  /** Queues the addresses added to the store since the last call. */
  scan(): void {
    const addrs = this.store.dicts.addrs;
    for (; this.scanned < addrs.size; this.scanned++) {
      if (this.store.dns.namesOf(this.scanned).length === 0) this.queue.push(this.scanned);
    }
    this.pump();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.resolver.cancel();
  }

  private pump(): void {
    const max = this.options.maxInFlight ?? 4;
    const limit = this.options.maxLookups ?? 4096;
    while (!this.closed && this.inFlight < max && this.queue.length > 0 && this.started < limit) {
      const id = this.queue.shift()!;
      // named by a captured DNS answer while it waited: nothing to ask
      if (this.store.dns.namesOf(id).length > 0) continue;
      const text = this.store.dicts.addrs.text(id);
      this.inFlight++;
      this.started++;
      this.resolver
        .reverse(text)
        .then((names) => {
          if (this.closed) return;
          for (const name of names) this.store.dns.add(id, name.endsWith('.') ? name : `${name}.`);
          this.found += names.length;
        })
        .catch(() => {
          if (!this.closed) this.failed++; // a lookup cancelled by close() did not fail
        })
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}

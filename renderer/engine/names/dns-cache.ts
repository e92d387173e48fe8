/**
 * Domain names of addresses, learned from DNS answers in the trace (A/AAAA records, with the CNAME
 * chain that led to them). Keyed by address-dictionary id. Names end with a dot, as in DNS.
 */
export class DnsCache {
  private readonly names = new Map<number, string[]>();

  /** Records that address `addrId` answers for `name` (a trailing dot is added when missing). */
  add(addrId: number, name: string): void {
    const fqdn = name.endsWith('.') ? name : `${name}.`;
    const list = this.names.get(addrId);
    if (!list) this.names.set(addrId, [fqdn]);
    else if (!list.includes(fqdn)) list.push(fqdn);
  }

  /** Names of `addrId`, in the order they were learned; empty when none. */
  namesOf(addrId: number): readonly string[] {
    return this.names.get(addrId) ?? [];
  }

  get size(): number {
    return this.names.size;
  }

  entries(): IterableIterator<[number, string[]]> {
    return this.names.entries();
  }
}

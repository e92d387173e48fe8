import { serviceName } from '../names/ports.js';

/** IANA names of every port of one protocol, as ids into a list of distinct names ('' = none). */
export interface ServiceTable {
  readonly ids: Uint16Array;
  readonly names: readonly string[];
}

const tables = new Map<number, ServiceTable>();

/**
 * The service table of TCP (6) or UDP (17), built once per process: filters on port names
 * test each distinct name once and spread the answer over the 65536 ports.
 */
export function serviceTable(proto: 6 | 17): ServiceTable {
  let t = tables.get(proto);
  if (!t) {
    const names: string[] = [''];
    const idOf = new Map<string, number>([['', 0]]);
    const ids = new Uint16Array(65536);
    for (let port = 0; port < 65536; port++) {
      const name = serviceName(port, proto);
      let id = idOf.get(name);
      if (id === undefined) {
        id = names.length;
        names.push(name);
        idOf.set(name, id);
      }
      ids[port] = id;
    }
    t = { ids, names };
    tables.set(proto, t);
  }
  return t;
}

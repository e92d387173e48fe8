/** Int32s per slot of TupleMap: A address id, B address id, A port × 65536 + B port, tuple id + 1 (0 = empty). */
const SLOT = 4;

/**
 * Open-addressing hash of a tuple (A address id, A port, B address id, B port) → tuple id. One
 * slot is 16 bytes of one Int32Array, so a probe reads one cache line.
 */
export class TupleMap {
  private slots = new Int32Array(1024 * SLOT);
  private size = 0;

  private static first(aAddr: number, bAddr: number, ports: number, mask: number): number {
    return (Math.imul(aAddr, 0x9e3779b1) ^ Math.imul(bAddr, 0x85ebca77) ^ Math.imul(ports, 0xc2b2ae35)) & mask;
  }

  /** The id of the tuple, or −1. */
  find(aAddr: number, aPort: number, bAddr: number, bPort: number): number {
    const s = this.slots;
    const mask = s.length / SLOT - 1;
    const ports = (aPort << 16) | bPort;
    for (let h = TupleMap.first(aAddr, bAddr, ports, mask); ; h = (h + 1) & mask) {
      const k = h * SLOT;
      const id = s[k + 3]!;
      if (id === 0 || (s[k] === aAddr && s[k + 1] === bAddr && s[k + 2] === ports)) return id - 1;
    }
  }

  /** Adds the tuple → id (not present yet). */
  insert(aAddr: number, aPort: number, bAddr: number, bPort: number, id: number): void {
    this.place(aAddr, bAddr, (aPort << 16) | bPort, id + 1);
    if (++this.size * 2 > this.slots.length / SLOT) {
      const old = this.slots;
      this.slots = new Int32Array(old.length * 2);
      for (let k = 0; k < old.length; k += SLOT) if (old[k + 3] !== 0) this.place(old[k]!, old[k + 1]!, old[k + 2]!, old[k + 3]!);
    }
  }

  private place(aAddr: number, bAddr: number, ports: number, idPlus1: number): void {
    const s = this.slots;
    const mask = s.length / SLOT - 1;
    let h = TupleMap.first(aAddr, bAddr, ports, mask);
    while (s[h * SLOT + 3] !== 0) h = (h + 1) & mask;
    const k = h * SLOT;
    s[k] = aAddr;
    s[k + 1] = bAddr;
    s[k + 2] = ports;
    s[k + 3] = idPlus1;
  }
}

// The offset/size cross-check of ARCHITECTURE.md: bpf/records.h compiled by the host C compiler
// must agree with layout.gen.ts (made from clang's BPF BTF) on every struct size, member offset
// and size, and enum value. A different compiler disagreeing would mean the ABI is not portable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENTS } from '../model/events.js';
import { EVENT_OF_WIRE, catalogIdOfEnumName } from './abi.js';
import { ENUMS, STRUCTS, type StructLayout } from './layout.gen.js';

const bpfDir = fileURLToPath(new URL('../../../../bpf/', import.meta.url));
const cc = process.env.CC ?? 'cc';

/** C source printing `struct member offset size` and `enum name value` lines for every layout entry. */
function program(): string {
  const lines = ['#include <stdio.h>', '#include <stddef.h>', '#include "records.h"', 'int main(void) {'];
  for (const [name, s] of Object.entries<StructLayout>(STRUCTS)) {
    lines.push(`  printf("%s - 0 %zu\\n", "${name}", sizeof(struct ${name}));`);
    for (const member of Object.keys(s.members)) {
      lines.push(`  printf("%s %s %zu %zu\\n", "${name}", "${member}", offsetof(struct ${name}, ${member}), sizeof(((struct ${name} *)0)->${member}));`);
    }
  }
  for (const [name, values] of Object.entries<Readonly<Record<string, number>>>(ENUMS)) {
    for (const v of Object.keys(values)) lines.push(`  printf("enum ${name} ${v} %lld\\n", (long long)${v});`);
  }
  lines.push('  return 0;', '}');
  return lines.join('\n');
}

test('records.h compiled by the host C compiler matches layout.gen.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wv-abi-'));
  try {
    writeFileSync(join(dir, 'check.c'), program());
    execFileSync(cc, ['-std=gnu11', '-Wall', '-Werror', '-I', bpfDir, '-o', join(dir, 'check'), join(dir, 'check.c')]);
    const out = execFileSync(join(dir, 'check'), { encoding: 'utf8' }).trim().split('\n');
    const expected: string[] = [];
    for (const [name, s] of Object.entries<StructLayout>(STRUCTS)) {
      expected.push(`${name} - 0 ${s.size}`);
      for (const [member, m] of Object.entries(s.members)) expected.push(`${name} ${member} ${m.offset} ${m.size}`);
    }
    for (const [name, values] of Object.entries<Readonly<Record<string, number>>>(ENUMS)) {
      for (const [v, n] of Object.entries(values)) expected.push(`enum ${name} ${v} ${n}`);
    }
    assert.deepEqual(out, expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every record struct is 8-byte aligned in size and starts with the common header', () => {
  for (const [name, s] of Object.entries<StructLayout>(STRUCTS)) {
    if (!name.startsWith('wv_rec_')) continue;
    assert.equal(s.size % ENUMS.wv_abi.WV_RECORD_ALIGN, 0, name);
    assert.deepEqual(s.members.hdr, { offset: 0, size: STRUCTS.wv_hdr.size, type: 'struct wv_hdr' }, name);
  }
  for (const kind of Object.keys(ENUMS.wv_record_kind)) {
    if (kind === 'WV_REC_NONE') continue;
    assert.ok(`wv_rec_${kind.slice(7).toLowerCase()}` in STRUCTS, `${kind} has a struct`);
  }
});

test('enum wv_event names every catalog event exactly once', () => {
  const ids = Object.keys(ENUMS.wv_event).filter((n) => n !== 'WV_EV_NONE').map(catalogIdOfEnumName);
  assert.deepEqual([...ids].sort(), EVENTS.map((e) => e.id).sort());
  assert.equal(catalogIdOfEnumName('WV_EV_SOCK_SEND_ERROR'), 'sock.send_error');
  assert.equal(EVENTS[EVENT_OF_WIRE[ENUMS.wv_event.WV_EV_PKT_TCP]!]!.id, 'pkt.tcp');
  assert.equal(EVENT_OF_WIRE[ENUMS.wv_event.WV_EV_NONE], -1);
});

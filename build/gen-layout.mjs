#!/usr/bin/env node
// Generates renderer/engine/records/layout.gen.ts from the BTF of bpf/.output/abi.bpf.o (built by
// `make -C bpf`), so the TypeScript decoder never mirrors records.h by hand (bpf2go's way).
//   node build/gen-layout.mjs           writes the file
//   node build/gen-layout.mjs --check   regenerates into a temp file and fails on any difference
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const object = join(root, 'bpf', '.output', 'abi.bpf.o');
const target = join(root, 'renderer', 'engine', 'records', 'layout.gen.ts');

function fail(message) {
  console.error(`gen-layout: ${message}`);
  process.exit(1);
}

function readBtf() {
  let json;
  try {
    json = execFileSync('bpftool', ['-j', 'btf', 'dump', 'file', object], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (err) {
    fail(`cannot read the BTF of ${object} (run \`make -C bpf\` first): ${err.message.split('\n')[0]}`);
  }
  return JSON.parse(json).types;
}

/** Size, C spelling and signedness of BTF type `id`, following typedefs and qualifiers. */
function describe(byId, id) {
  const t = byId.get(id);
  if (!t) fail(`BTF type ${id} missing`);
  switch (t.kind) {
    case 'TYPEDEF':
    case 'CONST':
    case 'VOLATILE': {
      const inner = describe(byId, t.type_id);
      return t.kind === 'TYPEDEF' && /^__[us]\d+$/.test(t.name) ? { ...inner, type: t.name.slice(2) } : inner;
    }
    case 'INT':
      if (t.name === 'char') return { size: 1, type: 'char' };
      return { size: t.size, type: `${t.encoding === 'SIGNED' ? 's' : 'u'}${t.size * 8}` };
    case 'ENUM':
      return { size: t.size, type: `enum ${t.name}` };
    case 'STRUCT':
      return { size: t.size, type: `struct ${t.name}` };
    case 'ARRAY': {
      const elem = describe(byId, t.type_id);
      return { size: elem.size * t.nr_elems, type: `${elem.type}[${t.nr_elems}]` };
    }
    default:
      fail(`unsupported BTF kind ${t.kind} in a record`);
  }
}

function render(types) {
  const byId = new Map(types.map((t) => [t.id, t]));
  const out = [
    '// generated — do not edit.',
    '// From bpf/records.h through the BTF of bpf/.output/abi.bpf.o by build/gen-layout.mjs: run `npm run gen:abi`.',
    '',
    '/** One member of a record struct: byte offset from the start of the struct, size in bytes, C type. */',
    'export interface MemberLayout {',
    '  readonly offset: number;',
    '  readonly size: number;',
    '  readonly type: string;',
    '}',
    '',
    'export interface StructLayout {',
    '  readonly size: number;',
    '  readonly members: Readonly<Record<string, MemberLayout>>;',
    '}',
    '',
    '/** Every struct of records.h, in declaration order of bpf/abi.bpf.c. */',
    'export const STRUCTS = {',
  ];
  for (const t of types) {
    if (t.kind !== 'STRUCT' || !t.name.startsWith('wv_')) continue;
    out.push(`  ${t.name}: {`, `    size: ${t.size},`, '    members: {');
    let end = 0;
    for (const m of t.members) {
      if (m.bits_offset % 8 !== 0 || m.bitfield_size) fail(`${t.name}.${m.name}: bit fields are not allowed in records`);
      const offset = m.bits_offset / 8;
      const d = describe(byId, m.type_id);
      if (offset !== end) fail(`${t.name}.${m.name}: hidden padding before it (offset ${offset}, expected ${end}); pad explicitly`);
      end = offset + d.size;
      out.push(`      ${m.name}: { offset: ${offset}, size: ${d.size}, type: '${d.type}' },`);
    }
    if (end !== t.size) fail(`${t.name}: hidden padding at the end (${t.size - end} bytes); pad explicitly`);
    out.push('    },', '  },');
  }
  out.push('} as const satisfies Readonly<Record<string, StructLayout>>;', '');
  out.push('/** Every enum of records.h: name → value. */', 'export const ENUMS = {');
  for (const t of types) {
    if (t.kind !== 'ENUM' || !t.name.startsWith('wv_')) continue;
    out.push(`  ${t.name}: {`);
    for (const v of t.values) out.push(`    ${v.name}: ${v.val},`);
    out.push('  },');
  }
  out.push('} as const satisfies Readonly<Record<string, Readonly<Record<string, number>>>>;', '');
  return out.join('\n');
}

const text = render(readBtf());
if (process.argv.includes('--check')) {
  const dir = mkdtempSync(join(tmpdir(), 'wv-layout-'));
  const fresh = join(dir, 'layout.gen.ts');
  writeFileSync(fresh, text);
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // a missing file differs like any other
  }
  const same = committed === readFileSync(fresh, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  if (!same) fail('renderer/engine/records/layout.gen.ts is stale: run `npm run gen:abi` and commit it');
  console.log('gen-layout: layout.gen.ts matches bpf/records.h');
} else {
  writeFileSync(target, text);
  console.log(`gen-layout: wrote ${target}`);
}

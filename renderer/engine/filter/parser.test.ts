import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../test/paths.js';
import { InputError } from '../errors.js';
import { FILTER_FIELD_NAMES, compileFilter } from './filter.js';

/** Asserts that `text` is refused with exactly `message` at 1-based `column`. */
function refuses(text: string, message: string, column: number): void {
  assert.throws(
    () => compileFilter(text),
    (e: unknown) => {
      assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
      assert.equal(e.message, message, text);
      assert.equal(e.offset, column, `column of the error in ${JSON.stringify(text)}`);
      return true;
    },
  );
}

test('unknown fields name the closest field', () => {
  refuses('net.dprt = 80', "unknown field 'net.dprt' (did you mean 'net.dport'?)", 1);
  refuses('net.dport = 80 and ps.cmm = curl', "unknown field 'ps.cmm' (did you mean 'ps.comm'?)", 20);
  refuses('frobnicate = 1', "unknown field 'frobnicate'", 1);
});

test('missing values, operators and parentheses point at the spot', () => {
  refuses('net.dport =', "expected a value after '='", 12);
  refuses('net.dport = and ps.pid = 1', "expected a value after '='", 13);
  refuses('net.dport 80', "expected an operator after 'net.dport', found '80'", 11);
  refuses('(net.dport = 80', "expected ')' to close the '(' at column 1, found the end", 16);
  refuses('net.dport = 80)', "unmatched ')'", 15);
  refuses('net.dport = 80 ps.pid = 1', "unexpected 'ps.pid'; expected 'and', 'or' or the end", 16);
  refuses('and', 'expected a field name, found \'and\'', 1);
  refuses("'x' = 1", "expected a field name, found 'x'", 1);
  refuses('net.dport in (80,)', "expected a value in the list after 'in'", 18);
  refuses('net.dport in (80 443)', "expected ',' or ')' in the list, found '443'", 18);
  refuses('net.dport = (80, 443)', "'=' takes one value; use 'in' for a list", 13);
  refuses('net.dport # 80', "unexpected character '#'", 11);
});

test('strings: unterminated, escapes', () => {
  refuses("ps.comm = 'curl", 'unterminated string', 11);
  refuses('ps.comm = "curl\\"', 'unterminated string', 11);
  assert.deepEqual(compileFilter("ps.comm = 'it\\'s'").root, compileFilter('ps.comm = "it\'s"').root);
});

test("'in' needs a list, or a CIDR for addresses", () => {
  refuses('net.dip in 10.0.0.1', "'in' needs a list or a CIDR", 12);
  refuses('net.dport in 80', "'in' needs a list in parentheses", 14);
  assert.ok(compileFilter('net.dip in 10.0.0.0/8').root);
  assert.ok(compileFilter('net.ip in fe80::/10').root);
  refuses('net.dip = 10.0.0.0/8', "'=' compares with one address; use 'in' for a CIDR", 11);
  refuses('net.dip in (10.0.0.0/33)', "'10.0.0.0/33' is not an IP address or CIDR", 13);
  refuses('net.dip = example.com', "'example.com' is not an IP address", 11);
});

test('values are checked against the field', () => {
  refuses("evt.name = 'sock.conect'", "unknown event 'sock.conect' (did you mean 'sock.connect'?)", 12);
  refuses('evt.name in (sock.connect, pkt.tpc)', "unknown event 'pkt.tpc' (did you mean 'pkt.tcp'?)", 28);
  refuses('evt.class = cor', "unknown class 'cor' (did you mean 'core'?)", 13);
  refuses('ps.pid = curl', "expected a number for 'ps.pid', found 'curl'", 10);
  refuses('net.proto = tcpp', "expected a number for 'net.proto', found 'tcpp' (names: tcp, udp, icmp, icmpv6)", 13);
  refuses('sock.errno = ECONREFUSED', "expected a number for 'sock.errno', found 'ECONREFUSED' (names: ECONNREFUSED, ETIMEDOUT)", 14);
  refuses('evt.priority <= WARN', "expected a number for 'evt.priority', found 'WARN' (names: ERROR, WARNING, INFO)", 17);
  refuses("ps.comm < 'a'", "'<' does not apply to text field 'ps.comm'", 9);
  refuses('ps.pid contains 1', "'contains' does not apply to number field 'ps.pid'", 8);
  refuses('tcp.flags.syn = maybe', "expected true or false for 'tcp.flags.syn', found 'maybe'", 17);
  refuses('tcp.flags.syn > 0', "'>' does not apply to boolean field 'tcp.flags.syn'", 15);
  refuses("evt.ts > 'yesterday'", "expected a time in ns for 'evt.ts', found 'yesterday'", 10);
  refuses("evt.time > 'noon'", "expected an ISO-8601 time such as '2024-05-01T12:00:00.5Z', found 'noon'", 12);
});

test('names, numbers and keywords are read the user’s way', () => {
  const leaf = (text: string): unknown => {
    const root = compileFilter(text).root;
    assert.ok(root && root.type === 'leaf', text);
    return root.test;
  };
  assert.deepEqual(leaf('evt.priority <= warning'), { t: 'num', op: '<=', nums: [5] });
  assert.deepEqual(leaf('net.proto = UDP'), { t: 'num', op: '=', nums: [17] });
  assert.deepEqual(leaf('sock.errno = econnrefused'), { t: 'num', op: '=', nums: [111] });
  assert.deepEqual(leaf('net.direction IN (send, output)'), { t: 'num', op: 'in', nums: [0, 3] });
  assert.deepEqual(leaf('tcp.state.new = established'), { t: 'num', op: '=', nums: [1] });
  assert.deepEqual(leaf('ps.pid = 0x10'), { t: 'num', op: '=', nums: [16] });
  assert.deepEqual(leaf('tcp.flags contains "syn|ack"'), { t: 'bits', mask: 18, all: true });
  assert.deepEqual(leaf('sock.msg_flags contains PEEK'), { t: 'bits', mask: 2, all: true });
  assert.deepEqual(leaf('evt.ts == 1700000000000000001'), { t: 'time', op: '=', ns: [1700000000000000001n] });
  assert.deepEqual(leaf("evt.time >= '1970-01-01T00:00:01.000000002Z'"), { t: 'time', op: '>=', ns: [1_000_000_002n] });
  assert.equal(compileFilter('   ').root, undefined);
});

test('precedence: not > and > or', () => {
  const shape = (text: string): string => {
    const walk = (n: unknown): string => {
      const node = n as { type: string; left?: unknown; right?: unknown; operand?: unknown; field?: { name: string } };
      if (node.type === 'leaf') return node.field!.name.split('.').pop()!;
      if (node.type === 'not') return `not(${walk(node.operand)})`;
      return `${node.type}(${walk(node.left)},${walk(node.right)})`;
    };
    return walk(compileFilter(text).root);
  };
  assert.equal(shape('ps.pid = 1 or ps.tid = 2 and not ps.comm = x'), 'or(pid,and(tid,not(comm)))');
  assert.equal(shape('(ps.pid = 1 or ps.tid = 2) and ps.comm = x'), 'and(or(pid,tid),comm)');
  assert.equal(shape('not not tcp.flags.syn or tcp.flags.ack'), 'or(not(not(syn)),ack)');
  assert.equal(shape('ps.comm not in (a, b) AND ps.pid != 3'), 'and(comm,pid)');
});

test('docs/filters.md lists every field and its error examples are what the parser says', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'filters.md'), 'utf8');
  for (const name of FILTER_FIELD_NAMES) {
    const bare = name.replace(/^tcp\.flags\.(?!syn$)/, '.');
    assert.ok(doc.includes(`\`${name}\``) || doc.includes(`\`${bare}\``), `docs/filters.md does not mention ${name}`);
  }
  const rows = [...doc.matchAll(/^\| `(.+)` \| (\d+) \| `(.+)` \|$/gm)];
  assert.ok(rows.length >= 10, 'the error table of docs/filters.md');
  for (const [, expr, column, message] of rows) refuses(expr!.replace(/\\\|/g, '|'), message!, Number(column));
});

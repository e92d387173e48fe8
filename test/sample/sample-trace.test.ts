/**
 * The sample trace shipped with the app (build/sample/, recorded by build/record-sample.mjs from
 * real traffic) opens and tells its four stories: a DNS lookup answered by the loopback server, a
 * handshake that succeeds and carries a request, one refused, one timing out. Checked by events
 * and fields, not by counts (a re-recording may differ in retransmits, routes, neighbours).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SAMPLE_TRACE } from '../../electron/host/sample.js';
import { openTrace } from '../../electron/services/input-file.js';
import { RowReader, type FieldValue } from '../../renderer/engine/values/field-values.js';

type Row = Record<string, FieldValue | undefined>;

async function sampleRows(): Promise<Row[]> {
  const { store, kind } = await openTrace(SAMPLE_TRACE);
  assert.equal(kind, 'wireview', 'the sample is a native trace');
  const reader = new RowReader(store);
  const rows: Row[] = [];
  for (let r = 0; r < store.rowCount; r++) {
    const b = store.batchOf(r);
    rows.push(reader.object(b, r - store.batchStart[b]!));
  }
  return rows;
}

test('the sample trace holds a DNS lookup, a handshake that succeeds, one refused and one timing out', async () => {
  const rows = await sampleRows();
  const find = (event: string, where: (r: Row) => boolean): Row[] => rows.filter((r) => r.event === event && where(r));

  // DNS: the query and its answer (same id), from the server on 127.77.40.53
  const [query] = find('dns.query', (r) => r.dns_name === 'shop.wireview.test' && r.daddr === '127.77.40.53' && r.dport === 53);
  assert.ok(query, 'a dns.query for shop.wireview.test to 127.77.40.53:53');
  const answers = find('dns.answer', (r) => r.dns_id === query.dns_id && r.saddr === '127.77.40.53');
  assert.equal(answers.length, 1, 'its answer');
  assert.match(String(answers[0]!.dns_answers), /shop\.wireview\.test A 127\.77\.40\.1/);

  // Success: connect without error, the socket reaches ESTABLISHED, the request goes out and the response comes back
  const [connect] = find('sock.connect', (r) => r.proto === 'TCP' && r.daddr === '127.77.40.1' && r.dport === 8080 && r.errno === undefined);
  assert.ok(connect, 'a successful connect to 127.77.40.1:8080');
  assert.ok(find('tcp.state', (r) => r.socket_cookie === connect.socket_cookie && r.state_new === 'ESTABLISHED').length > 0, 'the client socket reaches ESTABLISHED');
  assert.ok(find('sock.send', (r) => r.socket_cookie === connect.socket_cookie && Number(r.size) > 0).length > 0, 'the request is sent');
  assert.ok(find('sock.recv', (r) => r.socket_cookie === connect.socket_cookie && Number(r.size) > 0).length > 0, 'the response is received');

  // Refused: nothing listens on 8081, the kernel answers with a reset
  assert.equal(find('sock.connect_error', (r) => r.dport === 8081 && r.errno === 'ECONNREFUSED').length, 1, 'a connect to 8081 refused');
  assert.ok(find('tcp.reset_sent', (r) => r.sport === 8081 || r.dport === 8081).length > 0, 'the reset that refused it');

  // Timeout: the namespace drops the SYNs to 8082, the connect retransmits and gives up
  assert.equal(find('sock.connect_error', (r) => r.dport === 8082 && r.errno === 'ETIMEDOUT').length, 1, 'a connect to 8082 timing out');
  assert.ok(find('tcp.retransmit', (r) => r.dport === 8082).length > 0, 'its SYN retransmitted');
  assert.ok(find('drop.filter', (r) => r.dport === 8082).length > 0, 'the SYNs dropped by the nftables rule');

  // Nothing else: only the sample's own addresses
  for (const r of rows) {
    const addrs = [r.saddr, r.daddr].filter((a) => a !== undefined).map(String);
    assert.ok(addrs.length > 0 && addrs.some((a) => a.startsWith('127.77.40.') || a.startsWith('127.77.41.')), `${String(r.event)} ${addrs.join(' → ')} belongs to the sample`);
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../renderer/engine/errors.js';
import { createCsvImporter } from '../../renderer/engine/formats/csv/csv-import.js';
import { exportCsv } from '../../renderer/engine/formats/csv/csv-export.js';
import { EVENTS } from '../../renderer/engine/model/events.js';
import { batchEvents } from '../../renderer/engine/store/batch.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { RowReader } from '../../renderer/engine/values/field-values.js';
import { FIELD_BY_KEY } from '../../renderer/engine/model/fields.js';
import { fixturesDir } from '../paths.js';

const enc = new TextEncoder();

function importCsv(bytes: Uint8Array, chunk = 997): EventStore {
  const store = new EventStore();
  const imp = createCsvImporter(store, 'test.csv');
  for (let at = 0; at < bytes.length; at += chunk) imp.push(bytes.slice(at, at + chunk));
  imp.end();
  return store;
}

function exportToBytes(store: EventStore): Uint8Array {
  const parts: Uint8Array[] = [];
  exportCsv(store, undefined, (c) => parts.push(c));
  return Buffer.concat(parts);
}

for (const name of ['network-sample.csv', 'network-crlf.csv']) {
  test(`CSV import → export is byte-identical: ${name}`, () => {
    const bytes = readFileSync(join(fixturesDir, 'csv', name));
    for (const chunk of [1, 13, 4096, bytes.length]) {
      const store = importCsv(bytes, chunk);
      assert.equal(store.meta.truncated, undefined);
      assert.ok(Buffer.from(exportToBytes(store)).equals(bytes), `chunk ${chunk}`);
    }
  });
}

test('CSV lines become socket events with the seed semantics', () => {
  const text = [
    'Timestamp,PID,Command,Protocol,IP Version,Source Address,Destination Address,Source Port,Destination Port,Size,Direction,Latency,Error,MSG Flags',
    '2024-05-01 12:00:00.000001,42,"a,""b""",TCP,6,2001:db8::1,2001:db8::2,1234,443,100,send,5000,,MSG_DONTWAIT|MSG_NOSIGNAL',
    '2024-05-01 12:00:00.500000,42,curl,UDP,4,10.0.0.1,10.0.0.2,53,5353,0,receive,,EAGAIN,MSG_DONTWAIT',
    '2024-05-01 12:00:01.000000,42,curl,TCP,4,10.0.0.1,10.0.0.2,80,5353,0,receive,,ECONNRESET,',
    '',
  ].join('\n');
  const store = importCsv(enc.encode(text));
  assert.equal(store.rowCount, 3);
  const rr = new RowReader(store);
  const rows = [0, 1, 2].map((r) => rr.object(0, r));
  assert.deepEqual(
    rows.map((o) => o.event),
    ['sock.send', 'sock.recv', 'sock.recv_error'],
  );
  assert.equal(rows[0]!.comm, 'a,"b"');
  assert.equal(rows[0]!.ts_ns, 1714564800000001000n);
  assert.equal(rows[0]!.time, '2024-05-01T12:00:00.000001Z');
  assert.equal(rows[0]!.msg_flags, 'MSG_DONTWAIT|MSG_NOSIGNAL');
  assert.equal(rows[0]!.latency_ns, 5000);
  assert.equal(rows[1]!.errno, 'EAGAIN');
  assert.equal(rows[1]!.latency_ns, undefined);
  assert.equal(rr.value(0, 2, FIELD_BY_KEY.get('errno')!), 'ECONNRESET');
  assert.equal(EVENTS[batchEvents(store.batches[0]!)[2]!]!.priority, 3);
  assert.equal(Buffer.from(exportToBytes(store)).toString(), text);
});

test('bad CSV rows name the line, the column and the byte offset', () => {
  const header = 'Timestamp,PID,Command,Protocol,IP Version,Source Address,Destination Address,Source Port,Destination Port,Size,Direction,Latency,Error,MSG Flags\n';
  const good = '2024-05-01 12:00:00.000001,42,curl,TCP,4,10.0.0.1,10.0.0.2,1,2,3,send,,,\n';
  const cases: [string, RegExp, number][] = [
    ['2024-05-01 12:00:00.000001,42,curl,TCP,4,10.0.0.1,10.0.0.2,99999,2,3,send,,,\n', /line 3, Source Port: "99999"/, 59],
    ['2024-05-01 12:00:00.000001,42,curl,SCTP,4,10.0.0.1,10.0.0.2,1,2,3,send,,,\n', /line 3, Protocol: "SCTP" is not TCP or UDP/, 35],
    ['2024-05-01 12:00:00.000001,42,curl,TCP,4,10.0.0.999,10.0.0.2,1,2,3,send,,,\n', /line 3, Source Address: "10.0.0.999" is not an IP address/, 41],
    ['2024-02-30 12:00:00.000001,42,curl,TCP,4,10.0.0.1,10.0.0.2,1,2,3,send,,,\n', /line 3, Timestamp/, 0],
    ['2024-05-01 12:00:00.000001,42,curl,TCP,4,10.0.0.1,10.0.0.2,1,2,3,sent,,,\n', /line 3, Direction: "sent"/, 65],
    ['2024-05-01 12:00:00.000001,42,curl,TCP,4,10.0.0.1,10.0.0.2,1,2,3,send,,,MSG_BOGUS\n', /line 3, MSG Flags/, 72],
    ['2024-05-01 12:00:00.000001,42,curl,TCP,4\n', /line 3: 5 fields, expected 14/, 0],
  ];
  const base = header.length + good.length;
  for (const [line, message, col] of cases) {
    assert.throws(
      () => importCsv(enc.encode(header + good + line)),
      (e: unknown) => e instanceof InputError && message.test(e.message) && e.offset === base + col,
      line,
    );
  }
  assert.throws(() => importCsv(enc.encode('Timestamp,PID\n1,2\n')), /header line differs/);
});

test('a CSV cut inside its last line keeps the whole lines and says it was cut', () => {
  const bytes = readFileSync(join(fixturesDir, 'csv', 'network-sample.csv'));
  const full = importCsv(bytes);
  // Only the line ending is missing: the last line is whole.
  assert.equal(importCsv(bytes.subarray(0, bytes.length - 1)).rowCount, full.rowCount);
  for (const cut of [bytes.length - 40, 5000, 20001]) {
    const store = importCsv(bytes.subarray(0, cut));
    const kept = bytes.subarray(0, cut).toString().split('\n').length - 2;
    assert.ok(store.meta.truncated, `cut ${cut}`);
    assert.equal(store.rowCount, kept, `cut ${cut}`);
    assert.ok(store.rowCount < full.rowCount);
  }
});

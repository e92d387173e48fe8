import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EVENTS } from './events.js';
import { renderEventsDoc, unknownCatalogFields } from './generate-docs.js';

const docPath = fileURLToPath(new URL('../../../../docs/events.md', import.meta.url));

test('docs/events.md is what the catalog renders', () => {
  let committed = '';
  try {
    committed = readFileSync(docPath, 'utf8');
  } catch {
    assert.fail('docs/events.md is missing: run `npm run gen`');
  }
  assert.ok(committed === renderEventsDoc(), 'docs/events.md is stale: run `npm run gen`');
});

test('every event is documented with a description, a source and known fields', () => {
  assert.deepEqual(unknownCatalogFields(), []);
  const doc = renderEventsDoc();
  for (const def of EVENTS) {
    assert.ok(def.description.length > 40, `${def.id} has a description`);
    assert.ok(def.sources.length > 0, `${def.id} has a source`);
    assert.ok(doc.includes(`### \`${def.id}\``), `${def.id} has a section`);
    assert.ok(doc.includes(def.description), `${def.id}'s description is in the doc`);
  }
});

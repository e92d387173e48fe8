import assert from 'node:assert/strict';
import { test } from 'node:test';
import { array, boolean, integer, literal, nullable, object, optional, string, validate } from './schema.js';

const point = object({ name: string(8), port: integer(1, 65535), live: optional(boolean()), kind: literal('a', 'b'), tags: array(string(4), 2), owner: nullable(integer()) });
const good = { name: 'x', port: 80, kind: 'a', tags: ['t'], owner: null };

test('schemas admit what fits and name the path of what does not', () => {
  assert.deepEqual(validate(point, good, 'arg'), good);
  assert.equal(point.check({ ...good, live: true }, 'arg'), undefined);
  const cases: [unknown, string][] = [
    [null, 'arg: expected an object, got null'],
    [[], 'arg: expected an object, got array'],
    [{ ...good, extra: 1 }, 'arg: unexpected key "extra"'],
    [{ ...good, name: undefined }, 'arg.name: missing'],
    [{ ...good, name: 'much too long' }, 'arg.name: longer than 8 characters'],
    [{ ...good, port: 0 }, 'arg.port: 0 is not in 1…65535'],
    [{ ...good, port: 1.5 }, 'arg.port: expected an integer, got number'],
    [{ ...good, port: '80' }, 'arg.port: expected an integer, got string'],
    [{ ...good, live: 'yes' }, 'arg.live: expected true or false, got string'],
    [{ ...good, kind: 'c' }, 'arg.kind: expected one of "a", "b"'],
    [{ ...good, tags: ['a', 'b', 'c'] }, 'arg.tags: more than 2 items'],
    [{ ...good, tags: [1] }, 'arg.tags[0]: expected a string, got number'],
    [{ ...good, owner: -1 }, 'arg.owner: -1 is not in 0…9007199254740991'],
  ];
  for (const [value, message] of cases) assert.equal(point.check(value, 'arg'), message, JSON.stringify(value));
  assert.throws(() => validate(point, {}, 'arg'), { name: 'TypeError', message: 'arg.name: missing' });
});

test('objects with another prototype are refused (no class instances or prototype tricks)', () => {
  assert.equal(object({}).check(new Date(), 'arg'), 'arg: expected a plain object');
  assert.equal(object({}).check(JSON.parse('{"__proto__": {"x": 1}}'), 'arg'), 'arg: unexpected key "__proto__"');
  assert.equal(object({}).check(Object.create(null), 'arg'), undefined);
});

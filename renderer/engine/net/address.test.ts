import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cidrContains, formatIPv6, parseAddress, parseCidr } from './address.js';

const v6 = (text: string): string => formatIPv6(parseAddress(text)!.bytes);

test('IPv6 text is canonical per RFC 5952', () => {
  assert.equal(v6('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  assert.equal(v6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1'); // first of equal runs
  assert.equal(v6('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1'); // a lone zero group stays
  assert.equal(v6('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(v6('::'), '::');
  assert.equal(v6('fe80:0:0:0:1:0:0:0'), 'fe80::1:0:0:0'); // equal runs: the first
  assert.equal(v6('1:0:0:2:0:0:0:3'), '1:0:0:2::3'); // the longest run
  assert.equal(v6('::ffff:192.0.2.1'), '::ffff:192.0.2.1');
  assert.equal(v6('2001:DB8::A'), '2001:db8::a');
});

test('malformed addresses are refused', () => {
  for (const bad of ['1.2.3', '1.2.3.256', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '', '::1.2.3']) {
    assert.equal(parseAddress(bad), undefined, bad);
  }
});

test('CIDR containment respects prefix bits and version', () => {
  const net = parseCidr('10.1.0.0/15')!;
  assert.equal(cidrContains(net, 4, parseAddress('10.0.255.255')!.bytes), true);
  assert.equal(cidrContains(net, 4, parseAddress('10.2.0.0')!.bytes), false);
  assert.equal(cidrContains(parseCidr('::1')!, 6, parseAddress('::1')!.bytes), true);
  assert.equal(cidrContains(parseCidr('0.0.0.0/0')!, 6, parseAddress('::1')!.bytes), false);
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
});

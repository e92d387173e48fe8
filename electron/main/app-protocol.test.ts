import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP_CSP, isAppUrl } from './app-origin.js';
import { APP_RESPONSE_HEADERS, resolveAppRequest } from './app-protocol.js';

const ROOT = '/opt/wireview/dist-renderer';

test('pages and assets of the built renderer are served from under its folder', () => {
  assert.deepEqual(resolveAppRequest('GET', 'app://wireview/index.html', ROOT, null), { kind: 'file', path: `${ROOT}/index.html` });
  assert.deepEqual(resolveAppRequest('GET', 'app://wireview/', ROOT, null), { kind: 'file', path: `${ROOT}/index.html` });
  assert.deepEqual(resolveAppRequest('HEAD', 'app://wireview/assets/main-x.js?v=1', ROOT, null), { kind: 'file', path: `${ROOT}/assets/main-x.js` });
});

test('paths that would leave the renderer folder are refused', () => {
  for (const url of ['app://wireview/../../etc/passwd', 'app://wireview/%2e%2e/%2e%2e/etc/passwd', 'app://wireview/a%00b', 'app://wireview/%E0%A4%A']) {
    const answer = resolveAppRequest('GET', url, ROOT, null);
    if (answer.kind === 'file') assert.ok(answer.path.startsWith(`${ROOT}/`), `${url} → ${answer.path}`);
  }
  assert.equal(resolveAppRequest('GET', 'app://wireview/%2e%2e/%2e%2e/etc/passwd', ROOT, null).kind, 'file'); // normalised into the root
  assert.deepEqual(resolveAppRequest('GET', 'app://wireview/a%00b', ROOT, null), { kind: 'refuse', status: 404, message: 'not found' });
});

test('/file is the file main opened, and only that', () => {
  assert.deepEqual(resolveAppRequest('GET', 'app://wireview/file?n=3', ROOT, '/home/u/t.pcap'), { kind: 'file', path: '/home/u/t.pcap' });
  assert.deepEqual(resolveAppRequest('GET', 'app://wireview/file', ROOT, null), { kind: 'refuse', status: 404, message: 'no file was opened' });
});

test('other methods and other hosts are refused', () => {
  assert.equal(resolveAppRequest('POST', 'app://wireview/index.html', ROOT, null).kind, 'refuse');
  assert.deepEqual(resolveAppRequest('GET', 'app://other/index.html', ROOT, null), { kind: 'refuse', status: 403, message: 'not this app' });
  assert.deepEqual(resolveAppRequest('GET', 'https://wireview/index.html', ROOT, null), { kind: 'refuse', status: 403, message: 'not this app' });
});

test('every answer carries the strict CSP: nothing from outside our origin, no inline script', () => {
  assert.equal(APP_RESPONSE_HEADERS['Content-Security-Policy'], APP_CSP);
  assert.match(APP_CSP, /default-src 'none'/);
  assert.match(APP_CSP, /script-src 'self'(;|$)/);
  assert.match(APP_CSP, /connect-src 'self'(;|$)/);
  assert.doesNotMatch(APP_CSP, /unsafe-|https?:|\*/);
  assert.equal(isAppUrl('app://wireview/x'), true);
  assert.equal(isAppUrl('app://wireviewx/x'), false);
});

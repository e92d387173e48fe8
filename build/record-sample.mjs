#!/usr/bin/env node
// Re-records the sample trace shipped with the app (build/sample/wireview-sample.arrows) from
// real traffic, with `wireview capture` as root: a DNS lookup against a DNS server on loopback, a
// TCP handshake that succeeds (and its request/response), one refused, and one timing out (its
// SYNs dropped by nftables inside a network namespace). Addresses follow DEVELOPERS.md's rule:
// 127.77.40.0/24 on loopback, 127.77.41.0/24 for the namespace; nothing leaves the machine.
//
//   npm run build && sudo node build/record-sample.mjs [OUTPUT]
//
// Needs root, the built addon (npm run build:native), python3, ip and nft.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Resolver } from 'node:dns/promises';
import { statSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUTPUT = process.argv[2] ?? `${ROOT}build/sample/wireview-sample.arrows`;
const { withVeth, sh } = await import(`${ROOT}dist/test/capture/netns.js`);

const SERVER = '127.77.40.1';
const DNS_SERVER = '127.77.40.53';
const NAME = 'shop.wireview.test';
const OPEN_PORT = 8080;
const CLOSED_PORT = 8081;
const DROPPED_PORT = 8082;

if (process.getuid?.() !== 0) {
  console.error('record-sample: run as root (live capture, a network namespace and nftables)');
  process.exit(2);
}

const sleep = (ms) => delay(ms);

/** Runs a python3 snippet (optionally inside a namespace); resolves with its first line once printed. */
function python(code, ns) {
  const argv = ns ? ['ip', 'netns', 'exec', ns, 'python3', '-u', '-c', code] : ['python3', '-u', '-c', code];
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const first = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`python3 exited with ${code}`))));
  });
  return { child, first, exited: once(child, 'exit') };
}

// A DNS server that answers A questions for NAME with SERVER (and NXDOMAIN for anything else).
const DNS = `
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('${DNS_SERVER}', 53))
print('ready')
while True:
    q, peer = s.recvfrom(512)
    end = 12
    while q[end] != 0: end += 1 + q[end]
    question = q[12:end + 5]
    labels, i = [], 12
    while q[i] != 0: labels.append(q[i+1:i+1+q[i]].decode()); i += 1 + q[i]
    ok = '.'.join(labels) == '${NAME}'
    header = q[:2] + struct.pack('>HHHHH', 0x8180 if ok else 0x8183, 1, 1 if ok else 0, 0, 0)
    answer = struct.pack('>HHHIH', 0xc00c, 1, 1, 60, 4) + socket.inet_aton('${SERVER}') if ok else b''
    s.sendto(header + question + answer, peer)
`;
// A web-ish server: one request, one response, then it closes.
const WEB = `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('${SERVER}', ${OPEN_PORT})); s.listen()
print('ready')
c, _ = s.accept()
c.recv(1024)
c.sendall(b'HTTP/1.0 200 OK\\r\\nContent-Length: 6\\r\\n\\r\\nhello\\n')
c.close()
`;
const client = (address, port, synRetries) => `
import socket, errno
s = socket.socket()
${synRetries ? `s.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, ${synRetries})` : ''}
try:
    s.connect(('${address}', ${port}))
    s.sendall(b'GET / HTTP/1.0\\r\\nHost: ${NAME}\\r\\n\\r\\n')
    print(s.recv(1024).split(b'\\r\\n')[0].decode())
except OSError as e:
    print(errno.errorcode[e.errno])
`;

await withVeth(41, async (veth) => {
  const nft = (command) => sh('ip', 'netns', 'exec', veth.ns, 'nft', command);
  nft('add table inet wvsample');
  nft('add chain inet wvsample input { type filter hook input priority 0; }');
  nft(`add rule inet wvsample input tcp dport ${DROPPED_PORT} tcp flags syn drop`);

  const dns = python(DNS);
  const web = python(WEB);
  await Promise.all([dns.first, web.first]);

  const capture = spawn(
    process.execPath,
    [`${ROOT}bin/wireview.js`, 'capture', '-o', OUTPUT, '--priority', 'VERBOSE', '--disable', 'tcp.probe', '--filter', `net.ip in (127.77.40.0/24, ${veth.cidr})`],
    { stdio: ['ignore', 'inherit', 'pipe'] },
  );
  let err = '';
  await new Promise((resolve, reject) => {
    capture.stderr.on('data', (d) => {
      err += d.toString();
      process.stderr.write(d);
      if (err.includes('capturing to')) resolve();
    });
    capture.once('exit', (code) => reject(new Error(`wireview capture exited with ${code}`)));
  });
  capture.removeAllListeners('exit');
  await sleep(300);

  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([DNS_SERVER]);
  console.log(`dns: ${NAME} → ${(await resolver.resolve4(NAME)).join(', ')}`);
  await sleep(300);
  console.log(`success: ${await python(client(SERVER, OPEN_PORT)).first}`);
  await sleep(300);
  console.log(`refused: ${await python(client(SERVER, CLOSED_PORT)).first}`);
  await sleep(300);
  console.log(`timeout: ${await python(client(veth.nsAddr, DROPPED_PORT, 1)).first}`);
  await sleep(300);

  capture.kill('SIGINT');
  await once(capture, 'exit');
  dns.child.kill();
  web.child.kill();
});
console.log(`${OUTPUT}: ${statSync(OUTPUT).size} bytes`);

/**
 * Network namespaces for the live-capture tests, by the addressing rule of DEVELOPERS.md: a veth
 * pair from this namespace into a fresh one, addresses in 127.77.0.0/16 (host end .1, namespace
 * end .2 of 127.77.<subnet>.0/24), route_localnet on both ends so that 127/8 may cross a device.
 * Nothing leaves the machine: no route outside loopback and these namespaces is ever added.
 * Every sysctl changed is put back and the namespace (with its end of the veth) deleted, even when
 * the test fails.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface Veth {
  /** namespace name (`ip netns exec NAME …`) */
  readonly ns: string;
  /** this namespace's end of the veth, and the namespace's end */
  readonly hostIf: string;
  readonly nsIf: string;
  readonly hostAddr: string;
  readonly nsAddr: string;
  /** 127.77.<subnet>.0/24 */
  readonly cidr: string;
  /** ifindex of the host end (in this namespace) */
  readonly hostIndex: number;
}

/** Runs a command; throws with its stderr when it fails. */
export function sh(...argv: string[]): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Why namespace tests cannot run here (no `ip`, no `nft` when needed), or false. */
export function netnsSkipReason(needNft = false): string | false {
  for (const tool of needNft ? ['ip', 'nft'] : ['ip']) {
    if (spawnSync(tool, ['-V'], { encoding: 'utf8' }).error) return `${tool} is not installed (${tool === 'nft' ? 'apt package nftables' : 'iproute2'})`;
  }
  return false;
}

/** Sets a sysctl of this namespace until the returned function puts the old value back. */
function setSysctl(key: string, value: string): () => void {
  const old = sh('sysctl', '-n', key).trim();
  sh('sysctl', '-q', '-w', `${key}=${value}`);
  return () => void spawnSync('sysctl', ['-q', '-w', `${key}=${old}`]);
}

let created = 0;

/** The names and addresses a veth of this subnet gets, without creating anything. */
export function vethNames(subnet: number): Omit<Veth, 'hostIndex'> {
  const tag = `${process.pid % 10000}${created++}`;
  return {
    ns: `wvtest${tag}`, hostIf: `wv${tag}a`, nsIf: `wv${tag}b`,
    hostAddr: `127.77.${subnet}.1`, nsAddr: `127.77.${subnet}.2`, cidr: `127.77.${subnet}.0/24`,
  };
}

/** Creates the namespace with its veth up and addressed (unless `bare`), runs `fn`, tears it all down. */
export async function withVeth<T>(subnet: number, fn: (veth: Veth) => Promise<T>, bare = false, names = vethNames(subnet)): Promise<T> {
  const { ns, hostIf, nsIf } = names;
  const restore: (() => void)[] = [];
  try {
    sh('ip', 'netns', 'add', ns);
    restore.push(setSysctl('net.ipv4.conf.all.route_localnet', '1'));
    sh('ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', ns);
    sh('ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.conf.all.route_localnet=1', `net.ipv4.conf.${nsIf}.route_localnet=1`);
    sh('sysctl', '-q', '-w', `net.ipv4.conf.${hostIf}.route_localnet=1`);
    if (!bare) setUp(names);
    const hostIndex = Number(sh('cat', `/sys/class/net/${hostIf}/ifindex`).trim());
    return await fn({ ...names, hostIndex });
  } finally {
    spawnSync('ip', ['link', 'del', hostIf]);
    spawnSync('ip', ['netns', 'del', ns]);
    for (const undo of restore.reverse()) undo();
  }
}

/** Addresses both ends and brings them (and the namespace's lo) up. */
export function setUp({ ns, hostIf, nsIf, hostAddr, nsAddr }: Omit<Veth, 'hostIndex' | 'cidr'>): void {
  sh('ip', 'addr', 'add', `${hostAddr}/24`, 'dev', hostIf);
  sh('ip', 'link', 'set', hostIf, 'up');
  sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${nsAddr}/24`, 'dev', nsIf);
  sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up');
  sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
}

/**
 * Starts a Python 3 snippet inside the namespace and resolves once it prints its first line
 * (e.g. "ready" after listen()); `done` resolves with the rest of its output when it exits 0.
 */
export function pythonInNamespace(ns: string, code: string): Promise<{ first: string; done: Promise<string> }> {
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-u', '-c', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<string>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`python3 in ${ns} exited with ${code}: ${err}`))));
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const before = out;
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0 && before.indexOf('\n') < 0) resolve({ first: out.slice(0, nl), done });
    });
    done.catch(reject);
  });
}

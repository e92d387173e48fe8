import { Dir, TcpFlagBit, TcpOpt } from '../../renderer/engine/model/enums.js';
import { eventIndex } from '../../renderer/engine/model/events.js';
import { EventStore } from '../../renderer/engine/store/event-store.js';
import { mulberry32 as rng } from '../support/rng.js';
export { rng };

/**
 * A store of `count` packet events shaped like an imported TCP capture: a few hundred connections
 * between a client and servers, bulk transfers with ACKs, timestamps and random checksums (which
 * do not compress, as in real traffic), plus a few DNS names and a sprinkling of socket calls.
 */
export function syntheticTcpStore(count: number, seed = 1, batchRows = 65536): EventStore {
  const rand = rng(seed);
  const store = new EventStore();
  store.meta.sources.push({ kind: 'pcap', name: 'synthetic.pcap' });
  store.meta.host = 'bench-host';
  store.meta.extra = { generator: 'syntheticTcpStore', seed };
  const base = 1_714_564_800_000_000_000n;
  const b = store.builder(base, batchRows);
  const pkt = eventIndex('pkt.tcp');
  const send = eventIndex('sock.send');
  const client = store.dicts.addrs.internV4(0xc0a80002);
  const servers = Array.from({ length: 40 }, (_, i) => store.dicts.addrs.internV4((0x5db8d800 + i * 7) >>> 0));
  const v6 = new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  servers.push(store.dicts.addrs.internV6(v6, 0));
  servers.forEach((id, i) => store.dns.add(id, `s${i}.example.com`));
  let t = 0;
  let conn = { server: servers[0]!, sport: 40000, seqC: 1000, seqS: 5000, left: 0, tsv: 1 };
  const cols = {
    source: b.col('source'),
    ipver: b.col('ipver'),
    proto: b.col('proto'),
    saddr: b.col('saddr'),
    daddr: b.col('daddr'),
    sport: b.col('sport'),
    dport: b.col('dport'),
    size: b.col('size'),
    dir: b.col('direction'),
    len: b.col('pkt_len'),
    seq: b.col('tcp_seq'),
    ack: b.col('tcp_ack'),
    flags: b.col('tcp_flags'),
    doff: b.col('tcp_doff'),
    win: b.col('tcp_window'),
    csum: b.col('tcp_csum'),
    urg: b.col('tcp_urg'),
    opts: b.col('tcp_options'),
    tsv: b.col('tcp_ts_val'),
    tse: b.col('tcp_ts_ecr'),
    pid: b.col('pid'),
    lat: b.col('latency_ns'),
  };
  const sourceId = store.dicts.strings('source').intern('pcap');
  for (let i = 0; i < count; i++) {
    if (b.full) store.append(b.finish()!);
    if (conn.left <= 0) {
      conn = { server: servers[Math.floor(rand() * servers.length)]!, sport: 40000 + (i % 20000), seqC: Math.floor(rand() * 2 ** 32), seqS: Math.floor(rand() * 2 ** 32), left: 20 + Math.floor(rand() * 400), tsv: Math.floor(rand() * 2 ** 31) };
    }
    t += Math.floor(rand() * 20_000) + 1;
    conn.left--;
    if (i % 97 === 96) {
      const r = b.addRow(t, send);
      cols.pid.set(r, 4242);
      b.setString('comm', r, 'curl');
      cols.size.set(r, 1448);
      cols.lat.set(r, 3000 + Math.floor(rand() * 5000));
      cols.dir.set(r, Dir.send);
      continue;
    }
    const fromServer = rand() < 0.6;
    const payload = fromServer ? 1448 : rand() < 0.8 ? 0 : 200 + Math.floor(rand() * 800);
    const r = b.addRow(t, pkt);
    cols.source.set(r, sourceId);
    cols.ipver.set(r, conn.server === servers[servers.length - 1] ? 6 : 4);
    cols.proto.set(r, 6);
    cols.saddr.set(r, fromServer ? conn.server : client);
    cols.daddr.set(r, fromServer ? client : conn.server);
    cols.sport.set(r, fromServer ? 443 : conn.sport);
    cols.dport.set(r, fromServer ? conn.sport : 443);
    cols.size.set(r, payload);
    cols.dir.set(r, fromServer ? Dir.input : Dir.output);
    cols.len.set(r, payload + 52);
    cols.seq.set(r, fromServer ? conn.seqS : conn.seqC);
    cols.ack.set(r, fromServer ? conn.seqC : conn.seqS);
    if (fromServer) conn.seqS = (conn.seqS + payload) >>> 0;
    else conn.seqC = (conn.seqC + payload) >>> 0;
    cols.flags.set(r, TcpFlagBit.ACK | (payload > 0 ? TcpFlagBit.PSH : 0));
    cols.doff.set(r, 8);
    cols.win.set(r, fromServer ? 501 : 2048);
    cols.csum.set(r, Math.floor(rand() * 65536));
    cols.urg.set(r, 0);
    cols.opts.set(r, TcpOpt.TIMESTAMPS);
    conn.tsv += rand() < 0.1 ? 1 : 0;
    cols.tsv.set(r, conn.tsv);
    cols.tse.set(r, conn.tsv - 3);
  }
  const last = b.finish();
  if (last) store.append(last);
  return store;
}

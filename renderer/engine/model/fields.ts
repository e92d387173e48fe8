/**
 * The fields of EVENTS.md as one table: the JSON key (snake_case, also the Arrow column name), the
 * filter-language name, how the engine stores the column, and how values are shown. The engine,
 * the filter language, every file format and the UI read this table; nothing else lists fields.
 */

/** How a stored column keeps its values (one typed array per batch, plus a validity bitmap). */
export type Storage =
  | 'f64' // Float64Array: nanosecond times and durations, 64-bit ids small enough to be exact
  | 'u8'
  | 'u16'
  | 'u32'
  | 'str' // Uint32Array of ids into the store's dictionary for this field
  | 'addr'; // Uint32Array of ids into the store's address dictionary (IPv4 and IPv6)

/** How a value reads to people, JSON and filters. */
export type ValueKind =
  | 'int' // a number (JSON number)
  | 'ns' // a duration or time in ns (JSON number)
  | 'str' // a string
  | 'addr' // an IP address in canonical text
  | 'enum' // a number shown by name (`names`)
  | 'flags' // a bit mask shown as names (`flags`)
  | 'bool';

export interface FieldDef {
  /** JSON key, Arrow column name, column id in the engine. */
  readonly key: string;
  /** Name in the filter language (`ps.pid`, `net.dport`…). */
  readonly filter: string;
  /** Stored column, or `derived` when computed from other columns (event → class, port → name…). */
  readonly storage: Storage | 'derived';
  readonly kind: ValueKind;
  /** Short header for tables. */
  readonly label: string;
  /** One line: what the value is, with its unit. */
  readonly doc: string;
}

const f = (
  key: string,
  filter: string,
  storage: Storage | 'derived',
  kind: ValueKind,
  label: string,
  doc: string,
): FieldDef => ({ key, filter, storage, kind, label, doc });

/**
 * Every field, in the order tables and JSON list them. `ts_ns` of a row is kept relative to the
 * store's base time (see EventStore); the JSON value is the absolute integer.
 */
export const FIELDS = [
  f('ts_ns', 'evt.ts', 'f64', 'ns', 'Time', 'event time in ns: since boot for live captures, since the Unix epoch for imported packets and CSV'),
  f('time', 'evt.time', 'derived', 'str', 'Wall clock', 'wall-clock time, ISO-8601 UTC with microseconds'),
  f('event', 'evt.name', 'u8', 'str', 'Event', 'event id from the catalog (sock.send, pkt.tcp…)'),
  f('class', 'evt.class', 'derived', 'str', 'Class', 'event class: core or aux'),
  f('priority', 'evt.priority', 'derived', 'enum', 'Priority', 'event priority, EMERGENCY (1) … VERBOSE (8)'),
  f('source', 'evt.source', 'str', 'str', 'Source', 'which probe or file produced the event (tp_btf:sock:sock_send_length, cgroup_skb/egress, pcap, csv…)'),
  f('cpu', 'evt.cpu', 'u16', 'int', 'CPU', 'CPU the event was recorded on'),
  f('pid', 'ps.pid', 'u32', 'int', 'PID', 'process id (thread group id)'),
  f('tid', 'ps.tid', 'u32', 'int', 'TID', 'thread id'),
  f('comm', 'ps.comm', 'str', 'str', 'Command', 'process command name (at most 15 bytes in a live capture: the kernel keeps 15)'),
  f('pid_owner', 'ps.owner', 'u8', 'bool', 'Owner', 'true: pid is the socket owner; false: only the task that was on the CPU'),
  f('cgroup_id', 'ps.cgroup', 'f64', 'int', 'Cgroup', 'cgroup v2 id of the process'),
  f('socket_cookie', 'sock.cookie', 'f64', 'int', 'Socket', 'socket cookie: the same for every event of one socket'),
  f('ipver', 'net.ipver', 'u8', 'int', 'IP', 'IP version, 4 or 6'),
  f('proto', 'net.proto', 'u8', 'enum', 'Proto', 'transport protocol (TCP, UDP, ICMP, ICMPv6, other)'),
  f('saddr', 'net.sip', 'addr', 'addr', 'Source', 'source address'),
  f('daddr', 'net.dip', 'addr', 'addr', 'Destination', 'destination address'),
  f('sport', 'net.sport', 'u16', 'int', 'Src port', 'source port'),
  f('dport', 'net.dport', 'u16', 'int', 'Dst port', 'destination port'),
  f('sport_name', 'net.sport.name', 'derived', 'str', 'Src service', 'IANA service name of the source port'),
  f('dport_name', 'net.dport.name', 'derived', 'str', 'Dst service', 'IANA service name of the destination port'),
  f('saddr_names', 'net.sip.names', 'derived', 'str', 'Src names', 'domain names of the source address, from DNS answers in the trace'),
  f('daddr_names', 'net.dip.names', 'derived', 'str', 'Dst names', 'domain names of the destination address, from DNS answers in the trace'),
  f('size', 'net.size', 'u32', 'int', 'Size', 'payload bytes'),
  f('direction', 'net.direction', 'u8', 'enum', 'Direction', 'send/receive for socket calls, input/output for packets, incoming/outgoing for flows'),
  f('latency_ns', 'sock.latency', 'f64', 'ns', 'Latency', 'duration of the socket call in ns (capture.lost: length of the gap)'),
  f('errno', 'sock.errno', 'u16', 'enum', 'Error', 'error of the call, by name (ECONNREFUSED…)'),
  f('msg_flags', 'sock.msg_flags', 'u32', 'flags', 'MSG flags', 'MSG_* flags of send/recv'),
  f('ifindex', 'net.ifindex', 'u32', 'int', 'Ifindex', 'interface index'),
  f('ifname', 'net.ifname', 'str', 'str', 'Interface', 'interface name'),
  f('pkt_len', 'pkt.len', 'u32', 'int', 'Length', 'packet length in bytes, IP header included'),
  f('tcp_seq', 'tcp.seq', 'u32', 'int', 'Seq', 'TCP sequence number (raw)'),
  f('tcp_ack', 'tcp.ack', 'u32', 'int', 'Ack', 'TCP acknowledgement number (raw)'),
  f('tcp_flags', 'tcp.flags', 'u16', 'flags', 'Flags', 'TCP flags FIN SYN RST PSH ACK URG ECE CWR NS'),
  f('tcp_doff', 'tcp.doff', 'u8', 'int', 'Doff', 'TCP data offset (header length in 32-bit words)'),
  f('tcp_window', 'tcp.window', 'u16', 'int', 'Window', 'TCP window field (unscaled)'),
  f('tcp_csum', 'tcp.csum', 'u16', 'int', 'Checksum', 'TCP checksum field'),
  f('tcp_urg', 'tcp.urg', 'u16', 'int', 'Urgent', 'TCP urgent pointer'),
  f('tcp_options', 'tcp.options', 'u8', 'flags', 'Options', 'TCP options present (MSS, WSCALE, SACK_PERM, TIMESTAMPS, SACK…)'),
  f('tcp_mss', 'tcp.mss', 'u16', 'int', 'MSS', 'TCP MSS option value'),
  f('tcp_wscale', 'tcp.wscale', 'u8', 'int', 'WScale', 'TCP window-scale option shift'),
  f('tcp_ts_val', 'tcp.ts_val', 'u32', 'int', 'TSval', 'TCP timestamp option value'),
  f('tcp_ts_ecr', 'tcp.ts_ecr', 'u32', 'int', 'TSecr', 'TCP timestamp option echo reply'),
  f('udp_len', 'udp.len', 'u16', 'int', 'UDP len', 'UDP length field'),
  f('icmp_type', 'icmp.type', 'u8', 'int', 'ICMP type', 'ICMP or ICMPv6 type'),
  f('icmp_code', 'icmp.code', 'u8', 'int', 'ICMP code', 'ICMP or ICMPv6 code'),
  f('state_old', 'tcp.state.old', 'u8', 'enum', 'Old state', 'TCP state before the change'),
  f('state_new', 'tcp.state.new', 'u8', 'enum', 'New state', 'TCP state after the change'),
  f('cong_state', 'tcp.cong_state', 'u8', 'enum', 'CA state', 'TCP congestion state (Open, Disorder, CWR, Recovery, Loss)'),
  f('drop_reason', 'drop.reason', 'str', 'str', 'Drop reason', 'kernel drop reason, by the running kernel’s name (NO_SOCKET…)'),
  f('snd_cwnd', 'probe.snd_cwnd', 'u32', 'int', 'cwnd', 'congestion window in segments (tcp.probe)'),
  f('ssthresh', 'probe.ssthresh', 'u32', 'int', 'ssthresh', 'slow-start threshold in segments (tcp.probe)'),
  f('snd_wnd', 'probe.snd_wnd', 'u32', 'int', 'snd_wnd', 'send window in bytes (tcp.probe)'),
  f('rcv_wnd', 'probe.rcv_wnd', 'u32', 'int', 'rcv_wnd', 'receive window in bytes (tcp.probe)'),
  f('srtt_us', 'probe.srtt', 'u32', 'int', 'SRTT µs', 'smoothed RTT in µs (tcp.probe)'),
  f('snd_nxt', 'probe.snd_nxt', 'u32', 'int', 'snd_nxt', 'next sequence number to send (tcp.probe)'),
  f('snd_una', 'probe.snd_una', 'u32', 'int', 'snd_una', 'oldest unacknowledged sequence number (tcp.probe)'),
  f('neigh_state', 'neigh.state', 'u16', 'flags', 'NUD', 'neighbour state (NUD_* bits)'),
  f('hwaddr', 'neigh.hwaddr', 'str', 'str', 'HW address', 'neighbour hardware address'),
  f('route_table', 'route.table', 'u32', 'int', 'Table', 'routing table id'),
  f('route_result', 'route.result', 'str', 'str', 'Route', 'route lookup result (gateway/device, or the error)'),
  f('link_flags', 'link.flags', 'u32', 'flags', 'Link flags', 'interface flags after the change (IFF_*: UP, RUNNING, LOWER_UP…)'),
  f('mtu', 'link.mtu', 'u32', 'int', 'MTU', 'interface MTU in bytes'),
  f('qdisc_kind', 'qdisc.kind', 'str', 'str', 'Qdisc', 'queueing discipline kind (pfifo_fast, htb, noqueue…)'),
  f('dns_id', 'dns.id', 'u16', 'int', 'DNS id', 'DNS message id'),
  f('dns_name', 'dns.name', 'str', 'str', 'DNS name', 'queried name'),
  f('dns_type', 'dns.type', 'str', 'str', 'DNS type', 'query type (A, AAAA, …)'),
  f('dns_rcode', 'dns.rcode', 'str', 'str', 'RCODE', 'response code (NOERROR, NXDOMAIN, …)'),
  f('dns_answers', 'dns.answers', 'str', 'str', 'Answers', 'answer records, `name TYPE data` joined with `; `'),
  f('lost', 'capture.lost', 'f64', 'int', 'Lost', 'records the capture could not take (capture.lost; empty for a gap: unknown)'),
] as const satisfies readonly FieldDef[];

export type FieldKey = (typeof FIELDS)[number]['key'];
export type StoredFieldKey = Exclude<(typeof FIELDS)[number], { storage: 'derived' }>['key'];

export const FIELD_BY_KEY: ReadonlyMap<string, FieldDef> = new Map(FIELDS.map((d) => [d.key, d]));
export const FIELD_BY_FILTER: ReadonlyMap<string, FieldDef> = new Map(FIELDS.map((d) => [d.filter, d]));
export const STORED_FIELDS: readonly FieldDef[] = FIELDS.filter((d) => d.storage !== 'derived');

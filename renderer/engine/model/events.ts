/**
 * The event catalog of EVENTS.md as one table: id, class, priority, description, analog names,
 * kernel sources and the fields each event carries. The `event` column stores the index of an
 * event in EVENTS; ids are what users type and read.
 */
import type { FieldKey } from './fields.js';

export type EventClass = 'core' | 'aux';
export const CLASSES: readonly EventClass[] = ['core', 'aux'];

/** Priority names, index = priority number − 1 (EMERGENCY = 1 … VERBOSE = 8). */
export const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'VERBOSE'] as const;
export type PriorityName = (typeof PRIORITIES)[number];

export interface EventDef {
  readonly id: string;
  readonly class: EventClass;
  /** 1 (EMERGENCY) … 8 (VERBOSE). */
  readonly priority: number;
  /** Our own one-paragraph description. */
  readonly description: string;
  /** WindView event names and seed-tool names users may search for. */
  readonly analogs: readonly string[];
  /**
   * Sources, best first, by the names of the `source` field and `capture --probe` (`fexit:tcp_sendmsg`,
   * `tp_btf:sock:sock_send_length`…, as native/src/plan.cc lists them), or in words: what else the
   * event needs, or how it is derived.
   */
  readonly sources: readonly string[];
  /** Fields the event carries besides the common ones (ts_ns, event, cpu, pid, tid, comm…). */
  readonly fields: readonly FieldKey[];
}

const P = { EMERGENCY: 1, ALERT: 2, CRITICAL: 3, ERROR: 4, WARNING: 5, NOTICE: 6, INFO: 7, VERBOSE: 8 } as const;

const e = (
  id: string,
  cls: EventClass,
  priority: number,
  description: string,
  analogs: readonly string[] = [],
  sources: readonly string[] = [],
  fields: readonly FieldKey[] = [],
): EventDef => ({ id, class: cls, priority, description, analogs, sources, fields });

// Fields by family. Every event also has the common ones: ts_ns, event, source, cpu, pid, tid,
// comm, pid_owner, cgroup_id, socket_cookie.
const TUPLE: readonly FieldKey[] = ['ipver', 'proto', 'saddr', 'daddr', 'sport', 'dport', 'sport_name', 'dport_name', 'saddr_names', 'daddr_names'];
const CALL: readonly FieldKey[] = [...TUPLE, 'size', 'direction', 'latency_ns', 'errno', 'msg_flags'];
const SETUP: readonly FieldKey[] = [...TUPLE, 'latency_ns', 'errno'];
const PACKET: readonly FieldKey[] = [...TUPLE, 'direction', 'ifindex', 'ifname', 'pkt_len', 'size'];
const TCP_HEADER: readonly FieldKey[] = ['tcp_seq', 'tcp_ack', 'tcp_flags', 'tcp_doff', 'tcp_window', 'tcp_csum', 'tcp_urg', 'tcp_options', 'tcp_mss', 'tcp_wscale', 'tcp_ts_val', 'tcp_ts_ecr'];
const TCP_SOCK: readonly FieldKey[] = [...TUPLE, 'state_new'];
const DROP: readonly FieldKey[] = [...TUPLE, 'drop_reason', 'ifindex', 'ifname', 'pkt_len'];
const DNS: readonly FieldKey[] = [...TUPLE, 'direction', 'dns_id', 'dns_name', 'dns_type'];
const DEV: readonly FieldKey[] = ['ifindex', 'ifname', 'pkt_len'];
const NEIGH: readonly FieldKey[] = ['ipver', 'daddr', 'daddr_names', 'ifindex', 'ifname', 'neigh_state', 'hwaddr', 'errno'];
const ROUTE: readonly FieldKey[] = ['ipver', 'saddr', 'daddr', 'daddr_names', 'ifindex', 'ifname', 'route_table', 'route_result', 'errno'];
const SYS = (call: string): string[] => [`tp:syscalls:sys_enter_${call}`, `tp:syscalls:sys_exit_${call}`];
/** A tracepoint: typed (tp_btf) first, raw_tp where tp_btf is missing or refused. */
const TP = (category: string, name: string): string[] => [`tp_btf:${category}:${name}`, `raw_tp:${category}:${name}`];
/** sock.send/recv and their errors: the three protocol functions probed, then the tracepoint. */
const IO = (verb: 'send' | 'recv'): string[] => [
  ...['fexit', 'kretprobe'].flatMap((kind) => ['tcp', 'udp', 'udpv6'].map((proto) => `${kind}:${proto}_${verb}msg`)),
  ...TP('sock', `sock_${verb}_length`),
];
const IO_HELPERS = {
  send: 'helpers tp:syscalls:sys_enter_sendto, sys_enter_sendmsg: MSG flags, the peer of an unconnected UDP socket, the start of the call when the tracepoint is the source',
  recv: 'helpers tp:syscalls:sys_enter/exit_recvfrom, sys_enter/exit_recvmsg: MSG flags, the peer of an unconnected UDP socket, the start of the call when the tracepoint is the source',
};
const KFREE = TP('skb', 'kfree_skb');
const DNS_SOURCES = [
  'cgroup_skb/ingress', 'cgroup_skb/egress', 'derived: the DNS message of a packet on port 53 (UDP or TCP), parsed in user space, even with pkt.* off',
  'pcap/pcapng import (port 53, and mDNS port 5353)',
];
const STATE = TP('sock', 'inet_sock_set_state');
const PKT_SOURCES = ['cgroup_skb/ingress', 'cgroup_skb/egress', 'only packets of local sockets (see Sources above)', 'pcap/pcapng import'];

export const EVENTS: readonly EventDef[] = [
  e('sock.send', 'core', P.INFO,
    'A process handed data to a TCP or UDP socket and the call returned success. The size is what the kernel accepted, which for a non-blocking socket can be less than asked; latency is the time spent inside the call. Look here to see who talks to whom and how much, or to spot a sender blocked on a full socket buffer.',
    ['Fibratus Send', 'tcp_output-result', 'seed CSV send'],
    [...IO('send'), IO_HELPERS.send, 'seed CSV import'],
    CALL),
  e('sock.recv', 'core', P.INFO,
    'A process took data out of a TCP or UDP socket. Latency includes the time the call slept waiting for data, so a long value on a blocking socket usually means a quiet peer rather than a slow host.',
    ['Fibratus Recv', 'seed CSV receive'],
    [...IO('recv'), IO_HELPERS.recv, 'seed CSV import'],
    CALL),
  e('sock.send_error', 'core', P.CRITICAL,
    'A send on a socket failed with an error other than "try again" (EAGAIN): the peer reset the connection (ECONNRESET, EPIPE), the destination is unreachable, or the message does not fit (EMSGSIZE). The application sees this error; data it meant to send did not leave.',
    ['sosend-error'],
    [...IO('send'), IO_HELPERS.send, 'seed CSV import'],
    CALL),
  e('sock.recv_error', 'core', P.CRITICAL,
    'A receive on a socket failed with an error other than EAGAIN, typically because the connection was reset or timed out underneath the reader. It is often the first sign a process gets that its peer is gone.',
    ['soreceive-error'],
    [...IO('recv'), IO_HELPERS.recv, 'seed CSV import'],
    CALL),
  e('tcp.retransmit', 'core', P.WARNING,
    'TCP sent a segment again because it was not acknowledged in time or the peer signalled a gap. A few are normal on busy or lossy paths; a steady stream on one connection means packet loss somewhere between the hosts and shows up as lower throughput.',
    ['Fibratus Retransmit', 'tcp_output retransmission'],
    TP('tcp', 'tcp_retransmit_skb'),
    TCP_SOCK),
  e('tcp.retransmit_synack', 'core', P.WARNING,
    'A listening socket resent its SYN-ACK because the client never completed the handshake. Bursts of these point at a client that cannot reach us back, asymmetric filtering, or a SYN flood.',
    [],
    TP('tcp', 'tcp_retransmit_synack'),
    TUPLE),
  e('tcp.reconnect', 'core', P.WARNING,
    'A connect is being retried: TCP resent the initial SYN while the socket was still waiting for an answer (SYN_SENT). The first retry comes after about a second and each one doubles the wait, which is why a connect to a silent host hangs for a long time before failing.',
    ['Fibratus Reconnect'],
    [...TP('tcp', 'tcp_retransmit_skb'), 'a retransmission while the socket is in SYN_SENT'],
    TCP_SOCK),
  e('tcp.reset_sent', 'core', P.WARNING,
    'This host answered with a TCP reset (RST): a segment arrived for a port nobody listens on, for a connection the host no longer knows, or an application closed a socket with unread data. The other side will see "connection refused" or "connection reset".',
    ['tcp_respond-start'],
    TP('tcp', 'tcp_send_reset'),
    TCP_SOCK),
  e('tcp.reset_received', 'core', P.WARNING,
    'The peer (or a middlebox in between) aborted the connection with a reset. The local socket is torn down at once and the application gets ECONNRESET or ECONNREFUSED on its next call.',
    [],
    TP('tcp', 'tcp_receive_reset'),
    TCP_SOCK),
  e('tcp.bad_csum', 'core', P.CRITICAL,
    'An incoming TCP segment failed its checksum and was thrown away. Real corruption is rare; usually it points at faulty hardware, a broken offload setting, or a capture point that sees packets before the NIC filled the checksum in.',
    ['tcp_input-badsum'],
    TP('tcp', 'tcp_bad_csum'),
    TUPLE),
  e('tcp.probe', 'core', P.VERBOSE,
    'A sample of a connection\'s congestion control state taken as a segment is processed: congestion window, slow-start threshold, send and receive windows, smoothed RTT and sequence positions. It fires for nearly every segment, and every sample is kept (the capture session API\'s `probeEvery` keeps one in N per CPU). Its values feed the RTT and cwnd charts of a flow.',
    [],
    TP('tcp', 'tcp_probe'),
    [...TUPLE, 'size', 'snd_cwnd', 'ssthresh', 'snd_wnd', 'rcv_wnd', 'srtt_us', 'snd_nxt', 'snd_una']),
  e('pkt.tcp', 'core', P.INFO,
    'One TCP segment entering or leaving the host, with its full header: sequence and acknowledgement numbers, flags, window and options. These are what the flow ladder draws; the handshake (SYN, SYN-ACK, ACK) and teardown (FIN or RST) are read from them.',
    ['Tracee net_packet_tcp', 'tcp_input-start', 'tcp_output-result'],
    PKT_SOURCES,
    [...PACKET, ...TCP_HEADER]),
  e('pkt.udp', 'core', P.INFO,
    'One UDP datagram entering or leaving the host. Size is the payload; the UDP length field is kept as sent so that truncated or forged datagrams stand out.',
    ['Tracee net_packet_udp', 'udp_input-start', 'udp_output-result'],
    PKT_SOURCES,
    [...PACKET, 'udp_len']),
  e('pkt.icmp', 'core', P.NOTICE,
    'An ICMP or ICMPv6 message entering or leaving the host: echo requests and replies, "destination unreachable", "time exceeded", "packet too big", and for IPv6 also neighbour discovery. Unreachable and too-big messages explain many connections that fail or stall.',
    ['Tracee net_packet_icmp', 'icmp_input-start'],
    PKT_SOURCES,
    [...PACKET, 'icmp_type', 'icmp_code']),
  e('pkt.ip', 'core', P.VERBOSE,
    'An IP packet of any other protocol (GRE, ESP, SCTP, OSPF…) entering or leaving the host. Only addresses, protocol number and lengths are decoded.',
    ['ipintr-recv'],
    PKT_SOURCES,
    PACKET),
  e('dns.query', 'core', P.INFO,
    'A DNS question seen on the wire (UDP or TCP port 53): which name and record type a process asked for. Paired with the answer by message id, it shows resolution delays and the names behind later connections.',
    ['Tracee net_packet_dns_request'],
    DNS_SOURCES,
    DNS),
  e('dns.answer', 'core', P.INFO,
    'A DNS response seen on the wire, with its response code and answer records. Addresses in the answers feed the trace\'s DNS cache, which names the addresses of every other event (saddr_names, daddr_names).',
    ['Tracee net_packet_dns_response', 'Tracee DNS cache'],
    DNS_SOURCES,
    [...DNS, 'dns_rcode', 'dns_answers']),
  e('drop.nomem', 'core', P.EMERGENCY,
    'The kernel discarded a packet because it could not get memory for it, or the protocol had used up its memory allowance (tcp_mem, udp_mem). Traffic is being lost for lack of memory: the host or a cgroup is under severe pressure.',
    ['memory allocation failures'],
    [...KFREE, 'reasons with NOMEM or _MEM in the name (NOMEM, PROTO_MEM…), SKB_GSO_SEG'],
    DROP),
  e('drop.checksum', 'core', P.CRITICAL,
    'A packet was discarded because an IP, TCP, UDP or ICMP checksum did not match. The packet was damaged on the way, or checksum offload is misconfigured.',
    ['ipintr-badsum', 'udp_input-badsum'],
    [...KFREE, 'reasons with CSUM or CHECKSUM in the name (IP_CSUM, TCP_CSUM, UDP_CSUM, ICMP_CSUM, SKB_CSUM…)'],
    DROP),
  e('drop.malformed', 'core', P.CRITICAL,
    'A packet was discarded because its headers make no sense: too short, a bad header length, a truncated header, or a protocol the host does not speak. Expect these from broken senders, scanners and fuzzers.',
    ['ipintr-shortmsg', 'ipintr-badhlen', 'ipintr-badlen'],
    [...KFREE, 'reasons PKT_TOO_SMALL, IP_INHDR, HDR_TRUNC, INVALID_PROTO, IP_NOPROTO…'],
    DROP),
  e('drop.no_route', 'core', P.CRITICAL,
    'A packet was discarded because there was no route for it or its next hop\'s link-layer address could not be resolved. Connections to that destination will time out or fail with "network unreachable".',
    ['ether_output-noroute', 'ip_output-badaddr'],
    [...KFREE, 'reasons IP_OUTNOROUTES, IP_INNOROUTES, NEIGH_FAILED, NEIGH_QUEUEFULL…'],
    DROP),
  e('drop.device', 'core', P.CRITICAL,
    'A packet was discarded at the network device: the interface was down or not ready, the link-layer header could not be built, or the driver\'s ring was full.',
    ['ether_output-ifdown'],
    [...KFREE, 'reasons DEV_* (DEV_READY, DEV_HDR…), FULL_RING, NOT_DEVICE, *UNREGISTERED*'],
    DROP),
  e('drop.no_socket', 'core', P.WARNING,
    'A packet arrived for a port no socket is bound to and was discarded (TCP answers it with a reset, UDP with "port unreachable"). A few are harmless; many point at a stopped service or a scan.',
    ['udp_input-noport', 'udp_input-nopcb'],
    [...KFREE, 'reasons NO_SOCKET, SOCKET_CLOSE'],
    DROP),
  e('drop.queue_full', 'core', P.WARNING,
    'A packet was discarded because a queue on its way was full: a socket\'s receive buffer or backlog, a qdisc, the per-CPU input backlog, or a listener\'s accept queue. The reader or the link cannot keep up with the traffic.',
    ['udp_input-fullbuf', 'ether_output-nomem'],
    [...KFREE, 'reasons SOCKET_RCVBUFF, SOCKET_BACKLOG, QDISC_DROP, CPU_BACKLOG, TCP_LISTEN_OVERFLOW…'],
    DROP),
  e('drop.filter', 'core', P.NOTICE,
    'A packet was discarded on purpose by a filter: netfilter (iptables/nftables), a socket filter, a BPF program, XDP or TC. Check here first when traffic vanishes on a host with a firewall.',
    [],
    [...KFREE, 'reasons NETFILTER_DROP, SOCKET_FILTER (any *FILTER*), BPF_*, XDP*, TC_*, *IPSEC*'],
    DROP),
  e('drop.tcp', 'core', P.NOTICE,
    'TCP discarded a segment that did not fit the connection: outside the window, an old duplicate, a bad sequence or acknowledgement number, or invalid for the socket\'s state. Occasional ones are normal after retransmissions.',
    [],
    [...KFREE, 'reasons TCP_* not named above (sequence, window and state checks)'],
    DROP),
  e('drop.other', 'core', P.VERBOSE,
    'A packet was freed for a reason none of the other drop events cover, including the unspecified reason many ordinary code paths still use. Mostly noise; the reason name tells which path it was.',
    [],
    [...KFREE, 'any other reason'],
    DROP),
  e('udp.rcvbuf_full', 'core', P.WARNING,
    'A UDP datagram could not be queued to its socket because the receive buffer was full, so it was lost. The application reads too slowly or its SO_RCVBUF is too small for the burst.',
    ['udp_input-fullbuf'],
    TP('udp', 'udp_fail_queue_rcv_skb'),
    [...TUPLE, 'size']),
  e('sock.rcvqueue_full', 'core', P.WARNING,
    'Data for a socket arrived while its receive queue was already at its limit, so the buffer was refused. Like udp.rcvbuf_full but for any socket type: the reader is falling behind.',
    [],
    TP('sock', 'sock_rcvqueue_full'),
    [...TUPLE, 'size']),
  e('sock.mem_limit', 'core', P.EMERGENCY,
    'A socket could not get buffer memory because its protocol exceeded the system-wide limit (the hard value of tcp_mem or udp_mem). Every socket of that protocol suffers until memory is freed.',
    ['memory allocation failures'],
    TP('sock', 'sock_exceed_buf_limit'),
    [...TUPLE, 'size']),
  e('dev.xmit', 'core', P.VERBOSE,
    'The device driver was handed a packet to transmit. Very frequent; useful to see the last step a packet took inside the host and how long after the socket call it reached the wire.',
    ['ether_output-send'],
    TP('net', 'net_dev_xmit'),
    DEV),
  e('dev.recv', 'core', P.VERBOSE,
    'A packet received by a device entered the network stack. Very frequent; the first point inside the kernel where an incoming packet is seen.',
    ['ether_input-start'],
    TP('net', 'netif_receive_skb'),
    DEV),
  e('dev.xmit_timeout', 'core', P.ALERT,
    'A transmit queue of a network device stopped making progress and the kernel\'s watchdog fired, which usually resets the device. A driver or hardware problem that needs a person.',
    ['if_slowtimo-ifWdStart'],
    TP('net', 'net_dev_xmit_timeout'),
    ['ifindex', 'ifname']),
  e('sock.connect', 'aux', P.NOTICE,
    'A process started a connection: connect() on a TCP socket (the SYN goes out now) or on a UDP socket (the default peer is set). Together with sock.accept it tells which side opened a connection.',
    ['Fibratus Connect', 'in_pcbconnect-start'],
    SYS('connect'),
    SETUP),
  e('sock.connect_error', 'aux', P.ERROR,
    'A connection attempt failed, either at once (ENETUNREACH, EADDRNOTAVAIL) or later when the handshake ended badly: refused by a reset (ECONNREFUSED), no answer (ETIMEDOUT) or an ICMP error (EHOSTUNREACH). The flow view shows the handshake that led to it.',
    [],
    [...SYS('connect'), ...STATE, 'the syscall for a failure before SYN_SENT; SYN_SENT → CLOSE with a socket error for the rest'],
    SETUP),
  e('sock.accept', 'aux', P.NOTICE,
    'A listening socket completed a handshake and the new connection was handed to a process. The owner of the listener and the remote address show who connected to which service.',
    ['Fibratus Accept'],
    [...SYS('accept'), ...SYS('accept4')],
    SETUP),
  e('sock.disconnect', 'aux', P.NOTICE,
    'A TCP connection ended: the socket reached CLOSE after an orderly FIN exchange, a reset or a timeout.',
    ['Fibratus Disconnect', 'in_pcbdisconnect-start'],
    [...STATE, '→ CLOSE, except from SYN_SENT or LISTEN'],
    TCP_SOCK),
  e('sock.bind', 'aux', P.INFO,
    'A socket was given a local address and port, usually by a server before it listens or by a client that wants a fixed source port.',
    ['in_pcbbind-start'],
    SYS('bind'),
    SETUP),
  e('sock.bind_error', 'aux', P.ERROR,
    'bind() failed: the port is taken (EADDRINUSE), the address is not on this host (EADDRNOTAVAIL) or the process may not use a privileged port (EACCES). A service that cannot start often shows this.',
    ['in_pcbbind-bad*'],
    SYS('bind'),
    SETUP),
  e('sock.listen', 'aux', P.INFO,
    'A socket started accepting connections: a service is now reachable on that port.',
    [],
    SYS('listen'),
    SETUP),
  e('sock.listen_error', 'aux', P.ERROR,
    'listen() failed: the socket is not a TCP socket (EOPNOTSUPP), is already connected (EINVAL), or its port was taken between bind and listen (EADDRINUSE). An unbound socket does not fail: listen() binds it to a free port.',
    [],
    SYS('listen'),
    SETUP),
  e('sock.shutdown', 'aux', P.INFO,
    'A process shut down one or both directions of a socket (shutdown()), for TCP sending a FIN while the socket stays open for the other direction.',
    [],
    ['tp:syscalls:sys_enter_shutdown', 'reported at entry: no latency'],
    SETUP),
  e('tcp.state', 'aux', P.INFO,
    'A TCP socket moved from one state to another (SYN_SENT → ESTABLISHED, ESTABLISHED → FIN_WAIT1…). Every transition is reported, so the life of each connection can be replayed exactly.',
    [],
    STATE,
    [...TUPLE, 'state_old', 'state_new']),
  e('tcp.cong_state', 'aux', P.NOTICE,
    'TCP congestion control changed state: Open (normal), Disorder (duplicate acks seen), CWR (window reduced after ECN), Recovery (fast retransmit) or Loss (timeout). Recovery and Loss mean the connection is slowing down because of loss.',
    [],
    TP('tcp', 'tcp_cong_state_set'),
    [...TUPLE, 'cong_state']),
  e('flow.tcp_begin', 'aux', P.NOTICE,
    'A TCP connection became established, as seen in its packets or state changes. Direction says whether the remote side connected to us (incoming) or we to it (outgoing); domain names come from the DNS cache.',
    ['Tracee net_flow_tcp_begin'],
    ['derived: handshake completed in pkt.tcp or tcp.state; computed per flow (flows view, `wireview flows`), never a row (flows.md)'],
    [...TUPLE, 'direction']),
  e('flow.tcp_end', 'aux', P.NOTICE,
    'A TCP connection ended, by FIN from both sides or by a reset, as seen in its packets or state changes.',
    ['Tracee net_flow_tcp_end'],
    ['derived: FIN or RST seen in pkt.tcp, or tcp.state → CLOSE; computed per flow, never a row (flows.md)'],
    [...TUPLE, 'direction']),
  e('icmp.error_sent', 'aux', P.WARNING,
    'The host sent an ICMP error about a packet it received: port unreachable for UDP to a closed port, time exceeded when forwarding, fragmentation needed… The addresses are those of the packet that caused it.',
    ['icmp_error-start'],
    TP('icmp', 'icmp_send'),
    [...TUPLE, 'udp_len', 'icmp_type', 'icmp_code']),
  e('neigh.create', 'aux', P.INFO,
    'An entry for a neighbour (ARP for IPv4, NDP for IPv6) was created, normally because the host is about to send to an address on a local link for the first time in a while.',
    ['arpresolve-start'],
    TP('neigh', 'neigh_create'),
    NEIGH),
  e('neigh.update', 'aux', P.INFO,
    'A neighbour entry was updated: an ARP or NDP message arrived for it, or an administrator changed it (`ip neigh`). The state (REACHABLE, STALE…) and hardware address are those after the update; an update that changed nothing is reported too. Changes the kernel\'s timer makes on its own (REACHABLE to STALE or DELAY, DELAY to PROBE) are not reported. A changing hardware address for one IP can mean a failover or ARP spoofing.',
    ['in_arpinput-start'],
    TP('neigh', 'neigh_update_done'),
    NEIGH),
  e('neigh.failed', 'aux', P.CRITICAL,
    'Resolving a neighbour failed: nobody on the link answered ARP or neighbour solicitation for that address. Packets to it are dropped and connections fail with EHOSTUNREACH.',
    ['ether_output-rtreject'],
    [...TP('neigh', 'neigh_update_done'), ...TP('neigh', 'neigh_timer_handler'), 'an update or a timer run that leaves the entry FAILED'],
    NEIGH),
  e('neigh.release', 'aux', P.VERBOSE,
    'A neighbour entry was removed from the table: by garbage collection, by an administrator (`ip neigh del`, `ip neigh flush`), or because its device went down.',
    ['arptimer-free'],
    TP('neigh', 'neigh_cleanup_and_release'),
    NEIGH),
  e('route.lookup', 'aux', P.VERBOSE,
    'The kernel looked up the routing table for a packet or connection. Frequent; shows which table and next hop a destination resolved to, which matters with policy routing and VPNs.',
    ['rtalloc', 'ip_output-cachemiss'],
    [...TP('fib', 'fib_table_lookup'), ...TP('fib6', 'fib6_table_lookup')],
    ROUTE),
  e('route.unreachable', 'aux', P.CRITICAL,
    'A route lookup found no usable route (or an unreachable or prohibit route). Whatever asked for it fails with ENETUNREACH or EHOSTUNREACH.',
    ['rtalloc1-miss'],
    [...TP('fib', 'fib_table_lookup'), ...TP('fib6', 'fib6_table_lookup'), 'a failed result (an IPv4 miss in a table other than main is a route.lookup: the next table is tried)'],
    ROUTE),
  e('route.change', 'aux', P.NOTICE,
    'A route was added, removed or replaced, by an administrator, DHCP, a VPN client or a routing daemon. Explains traffic that suddenly takes another path or none.',
    ['rtrequest-start', 'route_output-start'],
    ['rtnetlink RTM_NEWROUTE/RTM_DELROUTE'],
    ROUTE),
  e('link.up', 'aux', P.NOTICE,
    'A network interface was brought up (its IFF_UP flag was set, as `ip link set … up` does). A change of carrier alone is not reported.',
    ['if_up-start'],
    ['rtnetlink RTM_NEWLINK (IFF_UP set)'],
    ['ifindex', 'ifname', 'link_flags', 'mtu']),
  e('link.down', 'aux', P.WARNING,
    'A network interface was brought down (its IFF_UP flag was cleared) or removed while up. Traffic through it stops. A loss of carrier alone (cable pulled, Wi-Fi gone) is not reported.',
    ['if_down-start'],
    ['rtnetlink RTM_NEWLINK (IFF_UP cleared), RTM_DELLINK of a link that was up'],
    ['ifindex', 'ifname', 'link_flags', 'mtu']),
  e('addr.add', 'aux', P.NOTICE,
    'An IP address was assigned to an interface (DHCP lease, SLAAC, manual configuration).',
    ['in_ifinit-start'],
    ['rtnetlink RTM_NEWADDR'],
    ['ipver', 'saddr', 'ifindex', 'ifname']),
  e('addr.remove', 'aux', P.NOTICE,
    'An IP address was removed from an interface; sockets bound to it can no longer send.',
    ['in_ifscrub-start'],
    ['rtnetlink RTM_DELADDR'],
    ['ipver', 'saddr', 'ifindex', 'ifname']),
  e('qdisc.create', 'aux', P.VERBOSE,
    'A queueing discipline (traffic control queue such as fq_codel, htb or netem) was attached to a device, changing how its outgoing packets are queued and shaped.',
    [],
    TP('qdisc', 'qdisc_create'),
    ['ifindex', 'ifname', 'qdisc_kind']),
  e('qdisc.destroy', 'aux', P.VERBOSE,
    'A queueing discipline was removed from a device.',
    [],
    TP('qdisc', 'qdisc_destroy'),
    ['ifindex', 'ifname', 'qdisc_kind']),
  e('capture.lost', 'aux', P.ALERT,
    'The capture itself lost events: a ring buffer between kernel and WireView was full, so this many records were never seen. Counts and timelines around this point are incomplete. To lose less, narrow the capture: fewer classes, a higher priority, `--disable` for busy events, address, port, pid or comm filters (`--addr`, `--port`, `--pid`, `--comm`, or `--filter` terms the kernel applies). Code that uses the capture session API can also give each CPU a larger ring (`captureOptions.ringBufferBytes`) or drain the rings more often (`captureOptions.drainIntervalMs`); the CLI and the app have no option for either. A gap while the capture helper was down or the capture was paused is a capture.lost event too, without a count; its latency_ns is the length of the gap.',
    [],
    ['ring buffer reserve failures counted by the BPF programs, and overflows of the rtnetlink socket: added by the ring reader when it drains', 'helper (the helper died: a gap)', 'pause (a paused capture: a gap)'],
    ['lost', 'latency_ns']),
];

export const EVENT_INDEX: ReadonlyMap<string, number> = new Map(EVENTS.map((d, i) => [d.id, i]));

/** Index of event `id` in EVENTS; throws for an id the catalog does not have (a programming error). */
export function eventIndex(id: string): number {
  const i = EVENT_INDEX.get(id);
  if (i === undefined) throw new Error(`unknown event id ${id}`);
  return i;
}

/** Number of timeline lanes: 2 classes × 8 priorities, WindView order (core first, EMERGENCY first). */
export const LANE_COUNT = 16;

/** Lane of each event index: class × 8 + (priority − 1). */
export const LANE_OF_EVENT: Uint8Array = Uint8Array.from(EVENTS, (d) => CLASSES.indexOf(d.class) * 8 + d.priority - 1);

export function laneName(lane: number): string {
  return `${CLASSES[lane >> 3]} · ${PRIORITIES[lane & 7]}`;
}

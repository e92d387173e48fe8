/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * config.h - the user->kernel half of the contract: the capture configuration
 * the loader writes into BPF maps, and the numbering of the probes (sources).
 * Shared by the BPF programs and native/ (the addon). Unlike records.h it never
 * leaves the host, so it carries no version: loader and programs ship together.
 *
 * The kernel applies the whole configuration before it reserves a record:
 *  1. the event's bit in wv_config.events (user space folds classes, the
 *     priority threshold and per-event enable/disable into this one mask);
 *  2. pid filter (wv_pids) and comm filter (wv_comms), on the socket owner
 *     when known, else the task on the CPU;
 *  3. address filters, then port filters. A filter applies to an event whose
 *     direction is among the filter's directions (events without a direction
 *     are checked against every filter). When at least one filter applies,
 *     the event passes only if one of them matches: a SOURCE filter tests
 *     saddr/sport, a DESTINATION filter daddr/dport. Events without addresses
 *     (or without ports, for port filters) are not narrowed.
 */
#ifndef WIREVIEW_CONFIG_H
#define WIREVIEW_CONFIG_H

/*
 * What one CPU's ring buffer could not take (wv_lost, per CPU): how many
 * records, and when the last of them was refused (bpf_ktime_get_boot_ns), so
 * that the reader stamps its capture.lost record with the time of the loss,
 * not the time it noticed it.
 */
struct wv_loss {
	__u64 records;
	__u64 last_ns;
};

enum wv_config_limits {
	WV_EVENT_WORDS = 2,		/* 128 event numbers */
	WV_ADDR_FILTERS_MAX = 16,
	WV_PORT_FILTERS_MAX = 16,
	WV_PIDS_MAX = 1024,
	WV_COMMS_MAX = 256,
	WV_OWNERS_MAX = 65536,		/* sockets whose owner is remembered */
	WV_DROP_REASONS_MAX = 256,
};

enum wv_filter_type {
	WV_FILTER_SOURCE = 0,
	WV_FILTER_DESTINATION = 1,
};

/* wv_*_filter.directions bits */
enum wv_filter_direction {
	WV_FILTER_INPUT = 1 << 0,
	WV_FILTER_OUTPUT = 1 << 1,
};

struct wv_addr_filter {
	__u8 addr[16];		/* network order; IPv4 in the first 4 bytes */
	__u8 family;		/* AF_INET or AF_INET6 */
	__u8 prefix_len;	/* bits */
	__u8 type;		/* enum wv_filter_type */
	__u8 directions;	/* enum wv_filter_direction bits */
	__u32 _pad;
};

struct wv_port_filter {
	__u16 lo;		/* inclusive, host order */
	__u16 hi;		/* inclusive */
	__u8 type;		/* enum wv_filter_type */
	__u8 directions;	/* enum wv_filter_direction bits */
	__u8 _pad[2];
};

struct wv_config {
	__u64 events[WV_EVENT_WORDS];	/* bit n = enum wv_event n is captured */
	struct wv_addr_filter addrs[WV_ADDR_FILTERS_MAX];
	struct wv_port_filter ports[WV_PORT_FILTERS_MAX];
	__u32 addr_count;
	__u32 port_count;
	__u32 pid_filter;	/* 1: only pids in wv_pids */
	__u32 comm_filter;	/* 1: only comms in wv_comms */
	__u32 probe_every;	/* tcp.probe: keep one sample in N per CPU (0, 1: all) */
	__u32 _pad;
};

/* Key of wv_comms: the 16 bytes of a task comm, NUL padded. */
struct wv_comm_key {
	char comm[16];
};

/*
 * Every probe the object holds, in wv_hdr.source numbering: X(ENUM, "name").
 * Append only (a trace stores the names, but tests and tools compare numbers).
 */
#define WV_SOURCES(X)								\
	X(NONE, "none")								\
	X(CGROUP_SKB_INGRESS, "cgroup_skb/ingress")				\
	X(CGROUP_SKB_EGRESS, "cgroup_skb/egress")				\
	X(FEXIT_TCP_SENDMSG, "fexit:tcp_sendmsg")				\
	X(FEXIT_UDP_SENDMSG, "fexit:udp_sendmsg")				\
	X(FEXIT_TCP_RECVMSG, "fexit:tcp_recvmsg")				\
	X(FEXIT_UDP_RECVMSG, "fexit:udp_recvmsg")				\
	X(KPROBE_TCP_SENDMSG, "kretprobe:tcp_sendmsg")				\
	X(KPROBE_UDP_SENDMSG, "kretprobe:udp_sendmsg")				\
	X(KPROBE_TCP_RECVMSG, "kretprobe:tcp_recvmsg")				\
	X(KPROBE_UDP_RECVMSG, "kretprobe:udp_recvmsg")				\
	X(BTF_SOCK_SEND_LENGTH, "tp_btf:sock:sock_send_length")		\
	X(RAW_SOCK_SEND_LENGTH, "raw_tp:sock:sock_send_length")		\
	X(BTF_SOCK_RECV_LENGTH, "tp_btf:sock:sock_recv_length")		\
	X(RAW_SOCK_RECV_LENGTH, "raw_tp:sock:sock_recv_length")		\
	X(SYS_CONNECT, "tp:syscalls:sys_exit_connect")				\
	X(SYS_ACCEPT, "tp:syscalls:sys_exit_accept")				\
	X(SYS_ACCEPT4, "tp:syscalls:sys_exit_accept4")				\
	X(SYS_BIND, "tp:syscalls:sys_exit_bind")				\
	X(SYS_LISTEN, "tp:syscalls:sys_exit_listen")				\
	X(SYS_SHUTDOWN, "tp:syscalls:sys_enter_shutdown")			\
	X(BTF_INET_SOCK_SET_STATE, "tp_btf:sock:inet_sock_set_state")		\
	X(RAW_INET_SOCK_SET_STATE, "raw_tp:sock:inet_sock_set_state")		\
	X(BTF_TCP_RETRANSMIT_SKB, "tp_btf:tcp:tcp_retransmit_skb")		\
	X(RAW_TCP_RETRANSMIT_SKB, "raw_tp:tcp:tcp_retransmit_skb")		\
	X(BTF_TCP_RETRANSMIT_SYNACK, "tp_btf:tcp:tcp_retransmit_synack")	\
	X(RAW_TCP_RETRANSMIT_SYNACK, "raw_tp:tcp:tcp_retransmit_synack")	\
	X(BTF_TCP_SEND_RESET, "tp_btf:tcp:tcp_send_reset")			\
	X(RAW_TCP_SEND_RESET, "raw_tp:tcp:tcp_send_reset")			\
	X(BTF_TCP_RECEIVE_RESET, "tp_btf:tcp:tcp_receive_reset")		\
	X(RAW_TCP_RECEIVE_RESET, "raw_tp:tcp:tcp_receive_reset")		\
	X(BTF_TCP_BAD_CSUM, "tp_btf:tcp:tcp_bad_csum")				\
	X(RAW_TCP_BAD_CSUM, "raw_tp:tcp:tcp_bad_csum")				\
	X(BTF_TCP_PROBE, "tp_btf:tcp:tcp_probe")				\
	X(RAW_TCP_PROBE, "raw_tp:tcp:tcp_probe")				\
	X(BTF_TCP_CONG_STATE_SET, "tp_btf:tcp:tcp_cong_state_set")		\
	X(RAW_TCP_CONG_STATE_SET, "raw_tp:tcp:tcp_cong_state_set")		\
	X(BTF_KFREE_SKB, "tp_btf:skb:kfree_skb")				\
	X(RAW_KFREE_SKB, "raw_tp:skb:kfree_skb")				\
	X(BTF_UDP_FAIL_QUEUE_RCV_SKB, "tp_btf:udp:udp_fail_queue_rcv_skb")	\
	X(RAW_UDP_FAIL_QUEUE_RCV_SKB, "raw_tp:udp:udp_fail_queue_rcv_skb")	\
	X(BTF_SOCK_RCVQUEUE_FULL, "tp_btf:sock:sock_rcvqueue_full")		\
	X(RAW_SOCK_RCVQUEUE_FULL, "raw_tp:sock:sock_rcvqueue_full")		\
	X(BTF_SOCK_EXCEED_BUF_LIMIT, "tp_btf:sock:sock_exceed_buf_limit")	\
	X(RAW_SOCK_EXCEED_BUF_LIMIT, "raw_tp:sock:sock_exceed_buf_limit")	\
	X(BTF_ICMP_SEND, "tp_btf:icmp:icmp_send")				\
	X(RAW_ICMP_SEND, "raw_tp:icmp:icmp_send")				\
	X(BTF_NET_DEV_XMIT, "tp_btf:net:net_dev_xmit")				\
	X(RAW_NET_DEV_XMIT, "raw_tp:net:net_dev_xmit")				\
	X(BTF_NETIF_RECEIVE_SKB, "tp_btf:net:netif_receive_skb")		\
	X(RAW_NETIF_RECEIVE_SKB, "raw_tp:net:netif_receive_skb")		\
	X(BTF_NET_DEV_XMIT_TIMEOUT, "tp_btf:net:net_dev_xmit_timeout")		\
	X(RAW_NET_DEV_XMIT_TIMEOUT, "raw_tp:net:net_dev_xmit_timeout")	\
	X(BTF_NEIGH_CREATE, "tp_btf:neigh:neigh_create")			\
	X(RAW_NEIGH_CREATE, "raw_tp:neigh:neigh_create")			\
	X(BTF_NEIGH_UPDATE_DONE, "tp_btf:neigh:neigh_update_done")		\
	X(RAW_NEIGH_UPDATE_DONE, "raw_tp:neigh:neigh_update_done")		\
	X(BTF_NEIGH_TIMER_HANDLER, "tp_btf:neigh:neigh_timer_handler")		\
	X(RAW_NEIGH_TIMER_HANDLER, "raw_tp:neigh:neigh_timer_handler")		\
	X(BTF_NEIGH_CLEANUP_AND_RELEASE, "tp_btf:neigh:neigh_cleanup_and_release") \
	X(RAW_NEIGH_CLEANUP_AND_RELEASE, "raw_tp:neigh:neigh_cleanup_and_release") \
	X(BTF_FIB_TABLE_LOOKUP, "tp_btf:fib:fib_table_lookup")			\
	X(RAW_FIB_TABLE_LOOKUP, "raw_tp:fib:fib_table_lookup")			\
	X(BTF_FIB6_TABLE_LOOKUP, "tp_btf:fib6:fib6_table_lookup")		\
	X(RAW_FIB6_TABLE_LOOKUP, "raw_tp:fib6:fib6_table_lookup")		\
	X(BTF_QDISC_CREATE, "tp_btf:qdisc:qdisc_create")			\
	X(RAW_QDISC_CREATE, "raw_tp:qdisc:qdisc_create")			\
	X(BTF_QDISC_DESTROY, "tp_btf:qdisc:qdisc_destroy")			\
	X(RAW_QDISC_DESTROY, "raw_tp:qdisc:qdisc_destroy")			\
	X(RTNETLINK, "rtnetlink")						\
	X(FEXIT_UDPV6_SENDMSG, "fexit:udpv6_sendmsg")				\
	X(FEXIT_UDPV6_RECVMSG, "fexit:udpv6_recvmsg")				\
	X(KPROBE_UDPV6_SENDMSG, "kretprobe:udpv6_sendmsg")			\
	X(KPROBE_UDPV6_RECVMSG, "kretprobe:udpv6_recvmsg")

#define WV_SOURCE_ENUM(name, text) WV_SRC_##name,
enum wv_source { WV_SOURCES(WV_SOURCE_ENUM) WV_SRC_COUNT };
#undef WV_SOURCE_ENUM

#endif /* WIREVIEW_CONFIG_H */

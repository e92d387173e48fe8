/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * records.h - THE kernel->user record ABI of WireView.
 *
 * Every record the BPF programs (and the helper, for rtnetlink and loss
 * reports) hand to user space is one of the structs below. The TypeScript
 * decoder never mirrors them by hand: build/gen-layout.mjs reads the BTF of
 * bpf/.output/abi.bpf.o and writes renderer/engine/records/layout.gen.ts;
 * `npm run check:abi` fails when that file is stale, and a unit test compiles
 * this header with the host C compiler and compares every offset and size.
 *
 * Rules that keep old traces and old helpers readable:
 *  - fixed-width types, largest first, explicit padding (no hidden holes);
 *  - units in names (_ns, _us, _bytes); addresses are 16 bytes in network
 *    order (IPv4 in the first 4), ports and every other integer in host order
 *    (converted in BPF);
 *  - a record only ever gains members at its end, and that bumps
 *    WV_ABI_MINOR; anything else is a new record kind or a WV_ABI_MAJOR bump;
 *  - event and kind numbers are stable: never renumber, only append.
 *
 * Byte order of everything is the host's (little-endian on every platform we
 * ship); a frame from a big-endian host fails the magic check.
 */
#ifndef WIREVIEW_RECORDS_H
#define WIREVIEW_RECORDS_H

#include <linux/types.h>

/* Enums rather than #defines so that the values reach the BTF and the
 * generated TypeScript layout. */
enum wv_abi {
	WV_ABI_MAGIC = 0x31425657, /* "WVB1" as read little-endian */
	WV_ABI_MAJOR = 1,
	WV_ABI_MINOR = 0,
	WV_RECORD_ALIGN = 8, /* every record starts on an 8-byte boundary */
	WV_DNS_PAYLOAD_MAX = 256,
	WV_COMM_LEN = 16,
	WV_IFNAME_LEN = 16,
};

/*
 * Event numbers. WV_EV_<FAMILY>_<REST> is catalog id "<family>.<rest>" in
 * lower case (WV_EV_SOCK_SEND_ERROR <-> "sock.send_error").
 */
enum wv_event {
	WV_EV_NONE = 0, /* never sent: catches zeroed records */
	WV_EV_SOCK_SEND = 1,
	WV_EV_SOCK_RECV = 2,
	WV_EV_SOCK_SEND_ERROR = 3,
	WV_EV_SOCK_RECV_ERROR = 4,
	WV_EV_TCP_RETRANSMIT = 5,
	WV_EV_TCP_RETRANSMIT_SYNACK = 6,
	WV_EV_TCP_RECONNECT = 7,
	WV_EV_TCP_RESET_SENT = 8,
	WV_EV_TCP_RESET_RECEIVED = 9,
	WV_EV_TCP_BAD_CSUM = 10,
	WV_EV_TCP_PROBE = 11,
	WV_EV_PKT_TCP = 12,
	WV_EV_PKT_UDP = 13,
	WV_EV_PKT_ICMP = 14,
	WV_EV_PKT_IP = 15,
	WV_EV_DNS_QUERY = 16,
	WV_EV_DNS_ANSWER = 17,
	WV_EV_DROP_NOMEM = 18,
	WV_EV_DROP_CHECKSUM = 19,
	WV_EV_DROP_MALFORMED = 20,
	WV_EV_DROP_NO_ROUTE = 21,
	WV_EV_DROP_DEVICE = 22,
	WV_EV_DROP_NO_SOCKET = 23,
	WV_EV_DROP_QUEUE_FULL = 24,
	WV_EV_DROP_FILTER = 25,
	WV_EV_DROP_TCP = 26,
	WV_EV_DROP_OTHER = 27,
	WV_EV_UDP_RCVBUF_FULL = 28,
	WV_EV_SOCK_RCVQUEUE_FULL = 29,
	WV_EV_SOCK_MEM_LIMIT = 30,
	WV_EV_DEV_XMIT = 31,
	WV_EV_DEV_RECV = 32,
	WV_EV_DEV_XMIT_TIMEOUT = 33,
	WV_EV_SOCK_CONNECT = 34,
	WV_EV_SOCK_CONNECT_ERROR = 35,
	WV_EV_SOCK_ACCEPT = 36,
	WV_EV_SOCK_DISCONNECT = 37,
	WV_EV_SOCK_BIND = 38,
	WV_EV_SOCK_BIND_ERROR = 39,
	WV_EV_SOCK_LISTEN = 40,
	WV_EV_SOCK_LISTEN_ERROR = 41,
	WV_EV_SOCK_SHUTDOWN = 42,
	WV_EV_TCP_STATE = 43,
	WV_EV_TCP_CONG_STATE = 44,
	WV_EV_FLOW_TCP_BEGIN = 45,
	WV_EV_FLOW_TCP_END = 46,
	WV_EV_ICMP_ERROR_SENT = 47,
	WV_EV_NEIGH_CREATE = 48,
	WV_EV_NEIGH_UPDATE = 49,
	WV_EV_NEIGH_FAILED = 50,
	WV_EV_NEIGH_RELEASE = 51,
	WV_EV_ROUTE_LOOKUP = 52,
	WV_EV_ROUTE_UNREACHABLE = 53,
	WV_EV_ROUTE_CHANGE = 54,
	WV_EV_LINK_UP = 55,
	WV_EV_LINK_DOWN = 56,
	WV_EV_ADDR_ADD = 57,
	WV_EV_ADDR_REMOVE = 58,
	WV_EV_QDISC_CREATE = 59,
	WV_EV_QDISC_DESTROY = 60,
	WV_EV_CAPTURE_LOST = 61,
};

/*
 * Record kinds: which body follows the header. WV_REC_<NAME> <-> struct
 * wv_rec_<name>. The event says what happened, the kind how it is laid out.
 */
enum wv_record_kind {
	WV_REC_NONE = 0,
	WV_REC_SOCK_CALL = 1,
	WV_REC_PACKET = 2,
	WV_REC_TCP_STATE = 3,
	WV_REC_TCP_EVENT = 4,
	WV_REC_TCP_CONG = 5,
	WV_REC_TCP_PROBE = 6,
	WV_REC_DROP = 7,
	WV_REC_SOCK_MEM = 8,
	WV_REC_DEV = 9,
	WV_REC_ICMP_SEND = 10,
	WV_REC_NEIGH = 11,
	WV_REC_ROUTE = 12,
	WV_REC_LINK = 13,
	WV_REC_ADDR = 14,
	WV_REC_QDISC = 15,
	WV_REC_LOST = 16,
	WV_REC_PACKET_SHORT = 17,
};

/* wv_hdr.flags */
enum wv_hdr_flag {
	WV_F_PID_OWNER = 1 << 0, /* pid/tid/comm are the socket's owner, not just the task on the CPU */
	WV_F_PID_KNOWN = 1 << 1, /* pid/tid/comm are set at all (softirq context has none) */
};

/* wv_rec_route.change: what a route.change record reports. */
enum wv_route_change {
	WV_ROUTE_NO_CHANGE = 0, /* a lookup (route.lookup / route.unreachable) */
	WV_ROUTE_ADDED = 1,
	WV_ROUTE_REMOVED = 2,
};

/* Directions, as the engine numbers them. */
enum wv_direction {
	WV_DIR_SEND = 0,
	WV_DIR_RECEIVE = 1,
	WV_DIR_INPUT = 2,
	WV_DIR_OUTPUT = 3,
	WV_DIR_NONE = 255,
};

/* Optional values of a body: a bit set means the member holds a value. */
enum wv_has {
	WV_HAS_LATENCY = 1 << 0,
	WV_HAS_SIZE = 1 << 1,
	WV_HAS_MSG_FLAGS = 1 << 2,
	WV_HAS_ERRNO = 1 << 3,
	WV_HAS_IFINDEX = 1 << 4,
	WV_HAS_DNS = 1 << 5, /* wv_rec_packet.dns holds the first bytes of a DNS message */
};

/* Frame: the header of every batch of records that crosses a process
 * boundary (helper stdout, main -> engine). records_bytes of records follow. */
struct wv_frame_hdr {
	__u32 magic;         /* WV_ABI_MAGIC */
	__u16 abi_major;     /* readers refuse a major they do not know */
	__u16 abi_minor;     /* newer minor: records may be longer than known */
	__u32 record_count;  /* records in this frame */
	__u32 records_bytes; /* bytes of records after this header */
	__u64 lost_records;  /* records lost (ring buffer full) since the previous frame */
};

/* Common header of every record. */
struct wv_hdr {
	__u64 ts_ns;       /* bpf_ktime_get_boot_ns(): CLOCK_BOOTTIME */
	__u64 sock_cookie; /* bpf_get_socket_cookie(); 0 when no socket */
	__u64 cgroup_id;   /* cgroup v2 id; 0 when unknown */
	__u32 pid;         /* thread group id */
	__u32 tid;
	__u32 cpu;
	__u16 event;       /* enum wv_event */
	__u16 size_bytes;  /* whole record, header included, multiple of WV_RECORD_ALIGN */
	__u8 kind;         /* enum wv_record_kind */
	__u8 flags;        /* enum wv_hdr_flag */
	__u8 source;       /* index into the capture's table of attached probes */
	__u8 _pad0;
	char comm[16];
	__u32 _pad1;
};

/* The addresses and ports of a socket or packet. */
struct wv_tuple {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;
	__u16 dport;
	__u8 family;  /* AF_INET (2), AF_INET6 (10), 0 = no addresses */
	__u8 proto;   /* IPPROTO_* */
	__u8 _pad[2];
};

/* A socket call: send/recv and errors, connect, accept, bind, listen, shutdown, disconnect. */
struct wv_rec_sock_call {
	struct wv_hdr hdr;
	struct wv_tuple tuple;
	__u64 latency_ns; /* syscall entry to exit */
	__u32 size_bytes; /* payload bytes moved */
	__u32 msg_flags;  /* MSG_* */
	__u16 errno_nr;   /* positive errno of a failed call */
	__u16 has;        /* enum wv_has */
	__u8 direction;   /* enum wv_direction: SEND, RECEIVE or NONE */
	__u8 _pad[3];
};

/* A packet seen at cgroup_skb or TC. */
struct wv_rec_packet {
	struct wv_hdr hdr;
	struct wv_tuple tuple;
	__u32 pkt_len_bytes;     /* IP packet, header included */
	__u32 payload_bytes;     /* L4 payload */
	__u32 ifindex;
	__u32 tcp_seq;
	__u32 tcp_ack;
	__u32 tcp_ts_val;
	__u32 tcp_ts_ecr;
	__u16 tcp_flags;         /* FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32 ECE=64 CWR=128 NS=256 */
	__u16 tcp_window;        /* unscaled */
	__u16 tcp_csum;
	__u16 tcp_urg;
	__u16 tcp_mss;
	__u16 udp_len;
	__u16 dns_len_bytes;     /* valid bytes in dns[] */
	__u16 has;               /* enum wv_has */
	__u8 tcp_doff;           /* 32-bit words */
	__u8 tcp_options;        /* TCP option bits: MSS=1 WSCALE=2 SACK_PERM=4 TIMESTAMPS=8 SACK=16 FASTOPEN=32 MPTCP=64 OTHER=128 */
	__u8 tcp_wscale;
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 direction;          /* enum wv_direction: INPUT or OUTPUT */
	__u8 _pad[6];
	__u8 dns[256];           /* first bytes of a DNS message (UDP payload, or TCP after the length) */
};

/*
 * A packet without DNS bytes: wv_rec_packet up to dns[], member for member (the
 * decoder reads both with one set of offsets). Most packets carry no DNS
 * message, and 256 bytes of zeros per packet were most of the capture's volume.
 */
struct wv_rec_packet_short {
	struct wv_hdr hdr;
	struct wv_tuple tuple;
	__u32 pkt_len_bytes;
	__u32 payload_bytes;
	__u32 ifindex;
	__u32 tcp_seq;
	__u32 tcp_ack;
	__u32 tcp_ts_val;
	__u32 tcp_ts_ecr;
	__u16 tcp_flags;
	__u16 tcp_window;
	__u16 tcp_csum;
	__u16 tcp_urg;
	__u16 tcp_mss;
	__u16 udp_len;
	__u16 dns_len_bytes;     /* always 0 */
	__u16 has;
	__u8 tcp_doff;
	__u8 tcp_options;
	__u8 tcp_wscale;
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 direction;
	__u8 _pad[6];
};

/* tp sock:inet_sock_set_state. */
struct wv_rec_tcp_state {
	struct wv_hdr hdr;
	struct wv_tuple tuple;
	__u8 state_old; /* TCP_* of include/net/tcp_states.h */
	__u8 state_new;
	__u8 _pad[6];
};

/* Retransmits, resets, bad checksums, SYN retries. */
struct wv_rec_tcp_event {
	struct wv_hdr hdr;
	struct wv_tuple tuple;
	__u8 state;     /* socket state when it happened */
	__u8 _pad[7];
};

/* tp tcp:tcp_cong_state_set. */
struct wv_rec_tcp_cong {
	struct wv_hdr hdr;
	struct wv_tuple tuple;
	__u8 cong_state; /* enum tcp_ca_state */
	__u8 _pad[7];
};

/* tp tcp:tcp_probe. */
struct wv_rec_tcp_probe {
	struct wv_hdr hdr;
	struct wv_tuple tuple;
	__u32 snd_cwnd;      /* segments */
	__u32 ssthresh;      /* segments */
	__u32 snd_wnd_bytes;
	__u32 rcv_wnd_bytes;
	__u32 srtt_us;
	__u32 snd_nxt;
	__u32 snd_una;
	__u32 data_len_bytes; /* payload of the segment that triggered the sample */
};

/* tp skb:kfree_skb with a drop reason. */
struct wv_rec_drop {
	struct wv_hdr hdr;
	struct wv_tuple tuple;
	__u64 location;       /* kernel address of the caller, symbolised in user space */
	__u32 reason;         /* enum skb_drop_reason of the running kernel: named from its BTF */
	__u32 ifindex;
	__u32 pkt_len_bytes;
	__u16 l3_proto;       /* ethertype, host order */
	__u16 has;            /* enum wv_has */
};

/* Socket memory pressure: udp_fail_queue_rcv_skb, sock_rcvqueue_full, sock_exceed_buf_limit. */
struct wv_rec_sock_mem {
	struct wv_hdr hdr;
	struct wv_tuple tuple;
	__u64 allocated_bytes; /* memory the protocol or socket holds */
	__u32 skb_bytes;       /* truesize of the buffer that did not fit */
	__u32 limit_bytes;     /* the limit it hit (rcvbuf or sysctl) */
};

/* Device transmit/receive/watchdog. */
struct wv_rec_dev {
	struct wv_hdr hdr;
	__u32 ifindex;
	__u32 pkt_len_bytes;
	__s32 rc;             /* driver return code of a transmit */
	__u16 l3_proto;       /* ethertype, host order */
	__u16 queue;          /* tx queue of a watchdog timeout */
	char ifname[16];
};

/* tp icmp:icmp_send: an ICMP error the stack sends. */
struct wv_rec_icmp_send {
	struct wv_hdr hdr;
	struct wv_tuple tuple; /* of the packet that caused it */
	__u16 udp_len;
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 _pad[4];
};

/* Neighbour (ARP/NDP) table entries. */
struct wv_rec_neigh {
	struct wv_hdr hdr;
	__u8 addr[16];    /* the neighbour's IP address */
	__u8 hwaddr[16];  /* hwaddr_len bytes are valid */
	__u32 ifindex;
	__u16 nud_state;  /* NUD_* bits after the change */
	__u8 family;
	__u8 hwaddr_len;
	__s32 err;        /* neigh_update's result */
	__u32 _pad;
};

/* Route lookups (fib tracepoints) and changes (rtnetlink). */
struct wv_rec_route {
	struct wv_hdr hdr;
	__u8 daddr[16];   /* looked-up destination, or the prefix of a changed route */
	__u8 saddr[16];
	__u8 gateway[16]; /* all zero: directly connected */
	__u32 table;
	__u32 ifindex;    /* output device; 0 when none */
	__s32 err;        /* negative errno of a failed lookup, 0 otherwise */
	__u8 family;
	__u8 prefix_len;
	__u8 route_type;  /* RTN_* */
	__u8 change;      /* enum wv_route_change (was padding: 0 in older records) */
};

/* rtnetlink link messages. */
struct wv_rec_link {
	struct wv_hdr hdr;
	__u32 ifindex;
	__u32 if_flags;   /* IFF_* */
	__u32 mtu;
	__u8 oper_state;  /* IF_OPER_* */
	__u8 _pad[3];
	char ifname[16];
};

/* rtnetlink address messages. */
struct wv_rec_addr {
	struct wv_hdr hdr;
	__u8 addr[16];
	__u32 ifindex;
	__u8 family;
	__u8 prefix_len;
	__u8 scope;
	__u8 _pad;
	char ifname[16];
};

/* tp qdisc:qdisc_create / qdisc_destroy. */
struct wv_rec_qdisc {
	struct wv_hdr hdr;
	__u32 ifindex;
	__u32 handle;
	__u32 parent;
	__u32 _pad;
	char ifname[16];
	char qdisc_kind[16]; /* "fq_codel", "mq"... */
};

/* capture.lost: records the ring buffer could not take, at this time. */
struct wv_rec_lost {
	struct wv_hdr hdr;
	__u64 lost_records;
};

#endif /* WIREVIEW_RECORDS_H */

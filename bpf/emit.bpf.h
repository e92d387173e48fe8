/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * emit.bpf.h - what every handler does between "something happened" and a
 * submitted record: who did it (socket owner or task on the CPU), the tuple of
 * the socket, the capture filters of config.h, and reserve/submit with the loss
 * counted when the ring buffer is full.
 */
#ifndef WIREVIEW_EMIT_BPF_H
#define WIREVIEW_EMIT_BPF_H

#include "maps.bpf.h"

/* The process an event is charged to. */
struct wv_proc {
	__u64 cgroup_id;
	__u32 pid;
	__u32 tid;
	char comm[WV_COMM_LEN];
	__u8 flags; /* WV_F_PID_* */
};

static __always_inline struct wv_config *wv_cfg(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&wv_config, &zero);
}

static __always_inline bool wv_event_on(const struct wv_config *cfg, __u32 event)
{
	return event < WV_EVENT_WORDS * 64 && (cfg->events[(event / 64) & 1] >> (event % 64)) & 1;
}

/* The task on the CPU, which is the socket's owner when it is making a call on it. */
static __always_inline void wv_proc_current(struct wv_proc *p, bool owner)
{
	__u64 id = bpf_get_current_pid_tgid();

	p->pid = id >> 32;
	p->tid = (__u32)id;
	p->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(p->comm, sizeof(p->comm));
	p->flags = p->pid ? WV_F_PID_KNOWN | (owner ? WV_F_PID_OWNER : 0) : 0;
}

/* Is this entry already the caller? Compared as words: cheaper than rewriting it. */
static __always_inline bool wv_owner_is(const struct wv_owner *o, const struct wv_proc *p)
{
	const __u64 *a = (const __u64 *)o->comm;
	const __u64 *b = (const __u64 *)p->comm;

	return o->pid == p->pid && o->tid == p->tid && o->cgroup_id == p->cgroup_id && a[0] == b[0] && a[1] == b[1];
}

/*
 * Remembers the caller as the owner of the socket with this cookie. Every send
 * and recv calls this: a lookup that finds the caller already there (the usual
 * case) writes nothing, and a changed owner is rewritten in place, so the LRU
 * map allocates a node only for a socket it has not seen.
 */
static __always_inline void wv_learn_owner(__u64 cookie, const struct wv_proc *p)
{
	struct wv_owner *known, o = {};

	if (!cookie || !(p->flags & WV_F_PID_OWNER))
		return;
	known = bpf_map_lookup_elem(&wv_owners, &cookie);
	if (known) {
		if (!wv_owner_is(known, p)) {
			known->cgroup_id = p->cgroup_id;
			known->pid = p->pid;
			known->tid = p->tid;
			__builtin_memcpy(known->comm, p->comm, sizeof(known->comm));
		}
		return;
	}
	o.cgroup_id = p->cgroup_id;
	o.pid = p->pid;
	o.tid = p->tid;
	__builtin_memcpy(o.comm, p->comm, sizeof(o.comm));
	bpf_map_update_elem(&wv_owners, &cookie, &o, BPF_ANY);
}

/*
 * The socket's owner when known, else nobody, without asking for the task on
 * the CPU: for cgroup_skb, whose programs may not call bpf_get_current_pid_tgid
 * and friends before Linux 6.4 (the verifier refuses the whole object).
 */
static __always_inline void wv_proc_owner_only(struct wv_proc *p, __u64 cookie)
{
	struct wv_owner *o = cookie ? bpf_map_lookup_elem(&wv_owners, &cookie) : NULL;

	if (!o)
		return;
	p->cgroup_id = o->cgroup_id;
	p->pid = o->pid;
	p->tid = o->tid;
	__builtin_memcpy(p->comm, o->comm, sizeof(p->comm));
	p->flags = WV_F_PID_KNOWN | WV_F_PID_OWNER;
}

/* The socket's owner when known; else the task on the CPU (in softirq: whoever was interrupted). */
static __always_inline void wv_proc_of_sock(struct wv_proc *p, __u64 cookie, bool task_context)
{
	wv_proc_owner_only(p, cookie);
	if (p->flags & WV_F_PID_OWNER)
		return;
	wv_proc_current(p, false);
	if (!task_context)
		p->flags &= ~WV_F_PID_KNOWN;
}

/* Local address as saddr, peer as daddr; `flip` swaps them (receive side: data flows peer->local). */
static __always_inline void wv_tuple_of_sock(struct wv_tuple *t, const struct sock *sk, bool flip)
{
	/* inet_sport outlives skc_num, which unhashing clears before the last state change;
	 * a request sock (NEW_SYN_RECV) has no inet_sock around its sock_common */
	bool full = BPF_CORE_READ(sk, __sk_common.skc_state) != TCP_NEW_SYN_RECV;
	__u16 lport = full ? bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport)) : 0;
	__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	__u8 *local = flip ? t->daddr : t->saddr;
	__u8 *remote = flip ? t->saddr : t->daddr;

	if (!lport)
		lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	t->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	t->proto = full ? BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) : IPPROTO_TCP;
	t->sport = flip ? rport : lport;
	t->dport = flip ? lport : rport;
	if (t->family == AF_INET) {
		BPF_CORE_READ_INTO((__u32 *)local, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)remote, sk, __sk_common.skc_daddr);
	} else if (t->family == AF_INET6) {
		BPF_CORE_READ_INTO((struct in6_addr *)local, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)remote, sk, __sk_common.skc_v6_daddr);
	} else {
		t->family = 0;
	}
}

/*
 * wv_tuple_of_sock for programs whose socket is a typed kernel pointer (tp_btf,
 * fexit): plain loads, relocated by CO-RE, instead of one bpf_probe_read_kernel
 * call per field — the send and recv of every datagram come through here.
 * The local port is skc_num, a plain load: inet_sport (past the end of struct
 * sock: a probe read) is htons(skc_num) whenever skc_num is set (bind, autobind,
 * connect and accept set both under the socket's lock), and is read only once
 * unhashing has cleared skc_num.
 */
static __always_inline void wv_tuple_of_sock_btf(struct wv_tuple *t, const struct sock *sk, bool flip)
{
	bool full = sk->__sk_common.skc_state != TCP_NEW_SYN_RECV;
	__u16 lport = sk->__sk_common.skc_num;
	__u16 rport = bpf_ntohs(sk->__sk_common.skc_dport);
	__u8 *local = flip ? t->daddr : t->saddr;
	__u8 *remote = flip ? t->saddr : t->daddr;

	if (!lport && full)
		lport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	t->family = sk->__sk_common.skc_family;
	t->proto = full ? BPF_CORE_READ_BITFIELD(sk, sk_protocol) : IPPROTO_TCP;
	t->sport = flip ? rport : lport;
	t->dport = flip ? lport : rport;
	if (t->family == AF_INET) {
		*(__u32 *)local = sk->__sk_common.skc_rcv_saddr;
		*(__u32 *)remote = sk->__sk_common.skc_daddr;
	} else if (t->family == AF_INET6) {
		__builtin_memcpy(local, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		__builtin_memcpy(remote, &sk->__sk_common.skc_v6_daddr, 16);
	} else {
		t->family = 0;
	}
}

/* Socket cookie read from the socket itself: for programs that cannot call bpf_get_socket_cookie. */
static __always_inline __u64 wv_cookie_read(const struct sock *sk)
{
	return sk ? BPF_CORE_READ(sk, __sk_common.skc_cookie.counter) : 0;
}

/* wv_cookie_read for a typed socket pointer (tp_btf, fexit): the same field, a plain load. */
static __always_inline __u64 wv_cookie_load(const struct sock *sk)
{
	return sk ? sk->__sk_common.skc_cookie.counter : 0;
}

/* Address and port filters of config.h on one tuple (filter.bpf.c): a global function, verified once. */
extern int wv_tuple_wanted(const struct wv_config *cfg, const struct wv_tuple *t, __u32 direction);

/* Every filter of config.h: is this event wanted at all? */
static __always_inline bool wv_wanted(const struct wv_config *cfg, __u32 event, const struct wv_proc *p,
				      const struct wv_tuple *t, __u8 direction)
{
	if (!wv_event_on(cfg, event))
		return false;
	if (cfg->pid_filter && !((p->flags & WV_F_PID_KNOWN) && bpf_map_lookup_elem(&wv_pids, &p->pid)))
		return false;
	if (cfg->comm_filter && !((p->flags & WV_F_PID_KNOWN) && bpf_map_lookup_elem(&wv_comms, p->comm)))
		return false;
	/* without address or port filters, no call at all (wv_tuple_wanted would pass it) */
	return !t || (!cfg->addr_count && !cfg->port_count) || wv_tuple_wanted(cfg, t, direction);
}

/* Reserves a record of `size` bytes (a multiple of 8), or counts it lost. */
static __always_inline void *wv_reserve(__u32 size)
{
	__u32 cpu = bpf_get_smp_processor_id();
	void *ring = bpf_map_lookup_elem(&wv_events, &cpu);
	void *rec = ring ? bpf_ringbuf_reserve(ring, size, 0) : NULL;

	if (!rec) {
		__u32 zero = 0;
		struct wv_loss *lost = bpf_map_lookup_elem(&wv_lost, &zero);

		/*
		 * the time first, then the count (atomic: a program interrupted here by another on the
		 * same CPU, in softirq, loses none): a reader that sees the count mostly sees its time
		 * too, and bounds it when it does not (native/src/capture.cc, Drain)
		 */
		if (lost) {
			lost->last_ns = bpf_ktime_get_boot_ns();
			__sync_fetch_and_add(&lost->records, 1);
		}
	}
	return rec;
}

static __always_inline void wv_fill_hdr(struct wv_hdr *h, __u16 event, __u8 kind, __u16 size, __u8 source,
					const struct wv_proc *p, __u64 cookie)
{
	h->ts_ns = bpf_ktime_get_boot_ns();
	h->sock_cookie = cookie;
	h->cgroup_id = p ? p->cgroup_id : 0;
	h->pid = p ? p->pid : 0;
	h->tid = p ? p->tid : 0;
	h->cpu = bpf_get_smp_processor_id();
	h->event = event;
	h->size_bytes = size;
	h->kind = kind;
	h->flags = p ? p->flags : 0;
	h->source = source;
	h->_pad0 = 0;
	h->_pad1 = 0;
	if (p)
		__builtin_memcpy(h->comm, p->comm, sizeof(h->comm));
	else
		__builtin_memset(h->comm, 0, sizeof(h->comm));
}

/*
 * Never wakes the reader: it drains on its own timer (drainIntervalMs, 5 ms by
 * default; at once again after a drain that found a ring filling fast), and
 * each CPU's ring (4 MiB by default on up to 4 CPUs) holds far more than one
 * interval of the busiest capture. A wakeup costs the submitting task an
 * irq_work and the reader an extra pass per burst; a ring sized too small for
 * its interval loses records, which wv_reserve counts and the capture reports.
 */
static __always_inline void wv_submit(void *rec)
{
	bpf_ringbuf_submit(rec, BPF_RB_NO_WAKEUP);
}

/* Zeroes a record's body (everything after the header) before it is filled. */
#define WV_ZERO_BODY(rec) __builtin_memset((char *)(rec) + sizeof(struct wv_hdr), 0, sizeof(*(rec)) - sizeof(struct wv_hdr))

#include "bench_floor.bpf.h"

#endif /* WIREVIEW_EMIT_BPF_H */

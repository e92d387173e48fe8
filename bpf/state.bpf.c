// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * state.bpf.c - TCP state changes (sock:inet_sock_set_state): tcp.state for
 * every transition, sock.connect_error when a SYN_SENT socket falls back to
 * CLOSE with an error (refused, timed out, unreachable), sock.disconnect when
 * a connection ends in CLOSE.
 *
 * Most transitions run in softirq, charged to the socket's owner when known.
 * CLOSE->SYN_SENT and CLOSE->LISTEN run in the connect/listen call itself, so
 * they teach wv_owners, early enough for the SYN to carry its process.
 *
 * LISTEN->SYN_RECV is the new child socket of a listener. Before Linux 6.15
 * ("inet: consolidate inet_csk_clone_lock()") inet_csk_clone_lock set the child
 * to SYN_RECV before it copied ports, addresses and cookie from the request
 * sock: the tracepoint saw the listener's tuple (peer port 0) and cookie.
 * Such a transition is held (wv_held_states) and emitted at the child's next
 * transition, always from SYN_RECV (to ESTABLISHED, or to CLOSE when the
 * handshake fails), with the child's final tuple and cookie and its own time.
 */
#include "emit.bpf.h"

/* A LISTEN->SYN_RECV seen before the child had its tuple: when, and from which program. */
struct wv_held_state {
	__u64 ts_ns;
	__u8 source;
	__u8 _pad[7];
};

/* LRU: a child freed without another transition (none known) must not pin its entry */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* struct sock * of the child */
	__type(value, struct wv_held_state);
} wv_held_states SEC(".maps");

/* `ts_ns` 0 is now; else the time of a held transition. */
static __always_inline int wv_emit_state(const struct sock *sk, __u32 event, int old, int new, __u64 cookie,
					 struct wv_proc *p, const struct wv_tuple *t, __u16 err, __u8 source, __u64 ts_ns)
{
	struct wv_config *cfg = wv_cfg();

	if (!cfg || !wv_wanted(cfg, event, p, t, WV_DIR_NONE))
		return 0;
	if (event == WV_EV_TCP_STATE) {
		struct wv_rec_tcp_state *rec = wv_reserve(sizeof(*rec));

		if (!rec)
			return 0;
		wv_fill_hdr(&rec->hdr, event, WV_REC_TCP_STATE, sizeof(*rec), source, p, cookie);
		if (ts_ns)
			rec->hdr.ts_ns = ts_ns;
		WV_ZERO_BODY(rec);
		rec->tuple = *t;
		rec->state_old = old;
		rec->state_new = new;
		wv_submit(rec);
	} else {
		struct wv_rec_sock_call *rec = wv_reserve(sizeof(*rec));

		if (!rec)
			return 0;
		wv_fill_hdr(&rec->hdr, event, WV_REC_SOCK_CALL, sizeof(*rec), source, p, cookie);
		WV_ZERO_BODY(rec);
		rec->tuple = *t;
		rec->direction = WV_DIR_NONE;
		if (err) {
			rec->errno_nr = err;
			rec->has = WV_HAS_ERRNO;
		}
		wv_submit(rec);
	}
	return 0;
}

static __always_inline bool wv_in_call_state(int old, int new)
{
	return (old == TCP_CLOSE && (new == TCP_SYN_SENT || new == TCP_LISTEN)) ||
	       (old == TCP_ESTABLISHED && new == TCP_FIN_WAIT1) || (old == TCP_CLOSE_WAIT && new == TCP_LAST_ACK);
}

static __always_inline int wv_state(const struct sock *sk, int old, int new, __u64 cookie, __u8 source)
{
	struct wv_tuple t = {};
	struct wv_proc p = {};
	bool in_call = wv_in_call_state(old, new);

	if (!sk || BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	if (old == TCP_CLOSE && new == TCP_SYN_SENT) {
		struct wv_task *task = wv_task_state(false);

		/* tells sys_exit_connect that a failure from here on is ours to report */
		if (task)
			task->call.sk = (__u64)sk;
	}
	if (in_call && (old == TCP_CLOSE)) {
		wv_proc_current(&p, true);
		wv_learn_owner(cookie, &p);
	} else {
		wv_proc_of_sock(&p, cookie, in_call);
	}
	wv_tuple_of_sock(&t, sk, false);
	if (old == TCP_LISTEN && new == TCP_SYN_RECV && !t.dport) {
		/* the child of an older kernel, still with the listener's tuple: held until it has its own */
		__u64 key = (__u64)sk;
		struct wv_held_state held = { .ts_ns = bpf_ktime_get_boot_ns(), .source = source };

		bpf_map_update_elem(&wv_held_states, &key, &held, BPF_ANY);
		return 0;
	}
	if (old == TCP_SYN_RECV) {
		__u64 key = (__u64)sk;
		struct wv_held_state *held = bpf_map_lookup_elem(&wv_held_states, &key);

		if (held) {
			wv_emit_state(sk, WV_EV_TCP_STATE, TCP_LISTEN, TCP_SYN_RECV, cookie, &p, &t, 0, held->source, held->ts_ns);
			bpf_map_delete_elem(&wv_held_states, &key);
		}
	}
	wv_emit_state(sk, WV_EV_TCP_STATE, old, new, cookie, &p, &t, 0, source, 0);
	if (new != TCP_CLOSE)
		return 0;
	if (old == TCP_SYN_SENT) {
		__u16 err = BPF_CORE_READ(sk, sk_err);

		if (err)
			wv_emit_state(sk, WV_EV_SOCK_CONNECT_ERROR, old, new, cookie, &p, &t, err, source, 0);
		return 0;
	}
	if (old != TCP_LISTEN && old != TCP_CLOSE)
		wv_emit_state(sk, WV_EV_SOCK_DISCONNECT, old, new, cookie, &p, &t, 0, source, 0);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(btf_inet_sock_set_state, const struct sock *sk, int old, int new)
{
	return wv_state(sk, old, new, bpf_get_socket_cookie((void *)sk), WV_SRC_BTF_INET_SOCK_SET_STATE);
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(raw_inet_sock_set_state, const struct sock *sk, int old, int new)
{
	return wv_state(sk, old, new, wv_cookie_read(sk), WV_SRC_RAW_INET_SOCK_SET_STATE);
}

// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * sock_io.bpf.c - sock.send, sock.recv and their errors.
 *
 * Sources, best first (the loader enables one tier): fexit on tcp/udp
 * sendmsg/recvmsg; kprobe + kretprobe on the same; tp_btf or raw_tp
 * sock:sock_send_length / sock_recv_length (every socket family). The send and
 * recv syscall tracepoints add what those cannot see: the MSG_* flags the
 * caller passed and the time the call started (latency = entry to the point
 * the protocol returned). Where the protocol function itself is probed (fentry +
 * fexit, kprobe + kretprobe), the latency is the time spent in it, measured by
 * the pair, and needs no syscall tracepoint (write/read on a socket have one too).
 * Every call also teaches wv_owners who owns the socket.
 */
#include "emit.bpf.h"

/* `btf`: `sk` is a typed kernel pointer (fexit, tp_btf), read with plain loads */
static __always_inline int wv_sock_io(const struct sock *sk, int ret, __u64 cookie, bool send, __u8 source, bool btf)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_sock_call *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	struct wv_call *call;
	__u32 tid, event;
	__u16 family;

	if (!cfg || !sk || ret == -EAGAIN)
		return 0;
	family = btf ? sk->__sk_common.skc_family : BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	wv_proc_current(&p, true);
	wv_learn_owner(cookie, &p);
	if (ret >= 0)
		event = send ? WV_EV_SOCK_SEND : WV_EV_SOCK_RECV;
	else
		event = send ? WV_EV_SOCK_SEND_ERROR : WV_EV_SOCK_RECV_ERROR;
	if (!wv_event_on(cfg, event))
		return 0;
	if (btf)
		wv_tuple_of_sock_btf(&t, sk, !send);
	else
		wv_tuple_of_sock(&t, sk, !send);
	if (!wv_wanted(cfg, event, &p, &t, send ? WV_DIR_SEND : WV_DIR_RECEIVE))
		return 0;

	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_SOCK_CALL, sizeof(*rec), source, &p, cookie);
	WV_ZERO_BODY(rec);
	rec->tuple = t;
	rec->direction = send ? WV_DIR_SEND : WV_DIR_RECEIVE;
	if (ret >= 0) {
		rec->size_bytes = ret;
		rec->has = WV_HAS_SIZE;
	} else {
		rec->errno_nr = -ret;
		rec->has = WV_HAS_ERRNO;
	}
	tid = p.tid;
	call = bpf_map_lookup_elem(&wv_calls, &tid);
	if (call && (call->proto_enter_ns || call->enter_ns)) {
		rec->latency_ns = rec->hdr.ts_ns - (call->proto_enter_ns ? call->proto_enter_ns : call->enter_ns);
		rec->has |= WV_HAS_LATENCY;
	}
	if (call)
		call->proto_enter_ns = 0;
	if (call && call->has_flags) {
		rec->msg_flags = call->msg_flags;
		rec->has |= WV_HAS_MSG_FLAGS;
	}
	wv_submit(rec, event);
	return 0;
}

/* The protocol function was entered: its start, for the latency the exit probe reports. */
static __always_inline int wv_proto_enter(struct sock *sk)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct wv_call *call = bpf_map_lookup_elem(&wv_calls, &tid);
	struct wv_call fresh = {};

	if (call) {
		call->sk = (__u64)sk;
		call->proto_enter_ns = bpf_ktime_get_boot_ns();
		return 0;
	}
	fresh.sk = (__u64)sk;
	fresh.proto_enter_ns = bpf_ktime_get_boot_ns();
	bpf_map_update_elem(&wv_calls, &tid, &fresh, BPF_ANY);
	return 0;
}

/*
 * tier 1: fentry + fexit (the return value read with bpf_get_func_ret, whatever
 * the kernel's signature; the fentry times the call)
 */
#define WV_FEXIT(func, send, source)							\
	SEC("fentry/" #func)								\
	int BPF_PROG(fentry_##func, struct sock *sk) { return wv_proto_enter(sk); }	\
	SEC("fexit/" #func)								\
	int BPF_PROG(fexit_##func, struct sock *sk)					\
	{										\
		__u64 ret = 0;								\
		bpf_get_func_ret(ctx, &ret);						\
		return wv_sock_io(sk, (int)ret, bpf_get_socket_cookie(sk), send, source, true); \
	}
WV_FEXIT(tcp_sendmsg, true, WV_SRC_FEXIT_TCP_SENDMSG)
WV_FEXIT(udp_sendmsg, true, WV_SRC_FEXIT_UDP_SENDMSG)
WV_FEXIT(tcp_recvmsg, false, WV_SRC_FEXIT_TCP_RECVMSG)
WV_FEXIT(udp_recvmsg, false, WV_SRC_FEXIT_UDP_RECVMSG)

/* tier 2: kprobe keeps the socket and the start for the kretprobe of the same thread */
static __always_inline int wv_kprobe_exit(int ret, bool send, __u8 source)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct wv_call *call = bpf_map_lookup_elem(&wv_calls, &tid);
	struct sock *sk;

	if (!call || !call->sk)
		return 0;
	sk = (struct sock *)call->sk;
	call->sk = 0;
	return wv_sock_io(sk, ret, wv_cookie_read(sk), send, source, false);
}

#define WV_KPROBE(func, send, source)							\
	SEC("kprobe/" #func)								\
	int BPF_KPROBE(kprobe_##func, struct sock *sk) { return wv_proto_enter(sk); }	\
	SEC("kretprobe/" #func)								\
	int BPF_KRETPROBE(kretprobe_##func, int ret) { return wv_kprobe_exit(ret, send, source); }
WV_KPROBE(tcp_sendmsg, true, WV_SRC_KPROBE_TCP_SENDMSG)
WV_KPROBE(udp_sendmsg, true, WV_SRC_KPROBE_UDP_SENDMSG)
WV_KPROBE(tcp_recvmsg, false, WV_SRC_KPROBE_TCP_RECVMSG)
WV_KPROBE(udp_recvmsg, false, WV_SRC_KPROBE_UDP_RECVMSG)

/* tier 3: the socket tracepoints, typed (tp_btf) or raw */
SEC("tp_btf/sock_send_length")
int BPF_PROG(btf_sock_send_length, struct sock *sk, int ret)
{
	return wv_sock_io(sk, ret, bpf_get_socket_cookie(sk), true, WV_SRC_BTF_SOCK_SEND_LENGTH, true);
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(raw_sock_send_length, struct sock *sk, int ret)
{
	return wv_sock_io(sk, ret, wv_cookie_read(sk), true, WV_SRC_RAW_SOCK_SEND_LENGTH, false);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(btf_sock_recv_length, struct sock *sk, int ret)
{
	return wv_sock_io(sk, ret, bpf_get_socket_cookie(sk), false, WV_SRC_BTF_SOCK_RECV_LENGTH, true);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(raw_sock_recv_length, struct sock *sk, int ret)
{
	return wv_sock_io(sk, ret, wv_cookie_read(sk), false, WV_SRC_RAW_SOCK_RECV_LENGTH, false);
}

/*
 * The syscalls: entry time and MSG_* flags for the record above, cleared at
 * exit. A thread's entry stays in the map between calls and is rewritten in
 * place: an update and a delete per syscall would allocate and free an LRU
 * node each time, on the hot path of every send and recv.
 */
static __always_inline int wv_call_enter(__u32 fd, __u32 flags, bool has_flags)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct wv_call *known = bpf_map_lookup_elem(&wv_calls, &tid);
	struct wv_call call = {};

	if (known) {
		known->enter_ns = bpf_ktime_get_boot_ns();
		known->fd = fd;
		known->msg_flags = flags;
		known->has_flags = has_flags;
		return 0;
	}
	call.enter_ns = bpf_ktime_get_boot_ns();
	call.fd = fd;
	call.msg_flags = flags;
	call.has_flags = has_flags;
	bpf_map_update_elem(&wv_calls, &tid, &call, BPF_ANY);
	return 0;
}

/* What a delete did: the protocol probes of a later call see no entry time, flags or socket. */
static __always_inline int wv_call_exit(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct wv_call *call = bpf_map_lookup_elem(&wv_calls, &tid);

	if (call) {
		call->enter_ns = 0;
		call->proto_enter_ns = 0;
		call->sk = 0;
		call->has_flags = 0;
		call->msg_flags = 0;
	}
	return 0;
}

/* sendto(fd, buf, len, flags, …), recvfrom likewise; sendmsg(fd, msg, flags), recvmsg likewise */
#define WV_IO_SYSCALL(name, flags_arg)							\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int sys_enter_##name(struct trace_event_raw_sys_enter *ctx)			\
	{										\
		return wv_call_enter(ctx->args[0], ctx->args[flags_arg], true);		\
	}										\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int sys_exit_##name(struct trace_event_raw_sys_exit *ctx) { return wv_call_exit(); }
WV_IO_SYSCALL(sendto, 3)
WV_IO_SYSCALL(recvfrom, 3)
WV_IO_SYSCALL(sendmsg, 2)
WV_IO_SYSCALL(recvmsg, 2)

char LICENSE[] SEC("license") = "Dual MIT/GPL";

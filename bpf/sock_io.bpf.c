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
 *
 * An unconnected UDP socket has no peer of its own. A send takes it from the
 * address its caller passed (sendto's, sendmsg's msg_name, read from user
 * memory at once). A receive learns it where the kernel gives it to the caller:
 * its record waits in the thread's wv_tasks entry for the syscall's exit, which reads the
 * address the kernel wrote back (recvfrom's, recvmsg's msg_name) and submits it.
 * A receive without an address buffer (recv(), read()) stays without a peer.
 */
#include "emit.bpf.h"

/* The peer into the remote side of a tuple; IPv4 on an IPv6 socket as ::ffff:a.b.c.d. */
static __always_inline void wv_set_peer(struct wv_tuple *t, bool send, __u16 family, const __u8 *addr, __u16 port)
{
	__u8 *remote = send ? t->daddr : t->saddr;

	if (family == AF_INET && t->family == AF_INET) {
		__builtin_memcpy(remote, addr, 4);
	} else if (family == AF_INET6 && t->family == AF_INET6) {
		__builtin_memcpy(remote, addr, 16);
	} else if (family == AF_INET && t->family == AF_INET6) {
		__builtin_memset(remote, 0, 10);
		remote[10] = 0xff;
		remote[11] = 0xff;
		__builtin_memcpy(remote + 12, addr, 4);
	} else {
		return;
	}
	if (send)
		t->dport = port;
	else
		t->sport = port;
}

/* The first members of struct user_msghdr (include/linux/socket.h), as the caller laid them out. */
struct wv_user_msghdr_head {
	__u64 msg_name;
	__s32 msg_namelen;
	__u32 _pad;
};

/*
 * The peer address the caller's memory holds for this call (a send: what it
 * passed; a receive, at its exit: what the kernel wrote back) into `t`. Nothing
 * when there is none or it cannot be read.
 */
static __always_inline void wv_user_peer(struct wv_tuple *t, const struct wv_call *call, bool send)
{
	__u64 ptr = call->name_ptr;
	__u8 sa[24]; /* struct sockaddr_in6 up to the address; struct sockaddr_in is 16 bytes */
	__s32 len = 0;
	__u16 family;

	if (!ptr)
		return;
	if (call->name_kind == WV_NAME_MSGHDR) {
		struct wv_user_msghdr_head m;

		if (bpf_probe_read_user(&m, sizeof(m), (const void *)ptr))
			return;
		ptr = m.msg_name;
		len = m.msg_namelen;
	} else if (send) {
		len = (__s32)call->len_ptr;
	} else if (!call->len_ptr || bpf_probe_read_user(&len, sizeof(len), (const void *)call->len_ptr)) {
		return;
	}
	if (!ptr || len < 16 || bpf_probe_read_user(sa, len >= (__s32)sizeof(sa) ? sizeof(sa) : 16, (const void *)ptr))
		return;
	family = *(__u16 *)sa;
	if (family == AF_INET)
		wv_set_peer(t, send, AF_INET, sa + 4, bpf_ntohs(*(__u16 *)(sa + 2)));
	else if (family == AF_INET6 && len >= (__s32)sizeof(sa))
		wv_set_peer(t, send, AF_INET6, sa + 8, bpf_ntohs(*(__u16 *)(sa + 2)));
}

/* The body of a sock.send/recv record (its header is filled before). */
static __always_inline void wv_fill_sock_call(struct wv_rec_sock_call *rec, const struct wv_tuple *t, const struct wv_call *call,
					      int ret, bool send)
{
	WV_ZERO_BODY(rec);
	rec->tuple = *t;
	rec->direction = send ? WV_DIR_SEND : WV_DIR_RECEIVE;
	if (ret >= 0) {
		rec->size_bytes = ret;
		rec->has = WV_HAS_SIZE;
	} else {
		rec->errno_nr = -ret;
		rec->has = WV_HAS_ERRNO;
	}
	if (call && (call->proto_enter_ns || call->enter_ns)) {
		rec->latency_ns = rec->hdr.ts_ns - (call->proto_enter_ns ? call->proto_enter_ns : call->enter_ns);
		rec->has |= WV_HAS_LATENCY;
	}
	if (call && call->has_flags) {
		rec->msg_flags = call->msg_flags;
		rec->has |= WV_HAS_MSG_FLAGS;
	}
}

/* Keeps a receive of an unconnected UDP socket, in its thread's state, for its syscall's exit. */
static __always_inline void wv_defer_recv(struct wv_task *task, const struct wv_tuple *t, int ret, __u32 event,
					  __u8 source, const struct wv_proc *p, __u64 cookie)
{
	struct wv_pending_recv *pending = &task->pending;

	wv_fill_hdr(&pending->rec.hdr, event, WV_REC_SOCK_CALL, sizeof(pending->rec), source, p, cookie);
	wv_fill_sock_call(&pending->rec, t, &task->call, ret, false);
	pending->full = 1;
}

/* What the syscall's entry set: a call outside it has no entry time, flags or peer address. */
static __always_inline void wv_call_clear(struct wv_call *call)
{
	call->enter_ns = 0;
	call->has_flags = 0;
	call->msg_flags = 0;
	call->name_kind = WV_NAME_NONE;
}

/* `btf`: `sk` is a typed kernel pointer (fexit, tp_btf), read with plain loads */
static __always_inline int wv_sock_io(const struct sock *sk, int ret, __u64 cookie, bool send, __u8 source, bool btf)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_sock_call *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	struct wv_task *task;
	struct wv_call *call;
	struct wv_call taken;
	__u32 event;
	__u16 family;

	WV_FLOOR_RETURN(0, send ? WV_EV_SOCK_SEND : WV_EV_SOCK_RECV);
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
	task = wv_task_state(false);
	call = task ? &task->call : NULL;
	/*
	 * A send's state outlives its syscall (it has no exit program): taken only inside it,
	 * and only by a call of its direction (work run at the syscall's exit, io_uring's
	 * task_work, still sees its number).
	 */
	if (task && call->enter_ns && (call->nr != wv_current_syscall() || call->recv == send))
		wv_call_clear(call);
	if (task && send) {
		/* taken once: another send in the same syscall's exit work gets none of it */
		taken = *call;
		wv_call_clear(call);
		call->proto_enter_ns = 0;
		call = &taken;
	}
	if (task && call->name_kind && t.proto == IPPROTO_UDP) {
		/* a send's own address wins (a connected socket may be given another) */
		if (send) {
			wv_user_peer(&t, call, true);
		} else if (ret >= 0 && !t.sport) {
			/* unconnected: the address filters wait for the peer, the others apply now */
			if (!wv_wanted(cfg, event, &p, NULL, WV_DIR_RECEIVE))
				return 0;
			wv_defer_recv(task, &t, ret, event, source, &p, cookie);
			return 0;
		}
	}
	if (!wv_wanted(cfg, event, &p, &t, send ? WV_DIR_SEND : WV_DIR_RECEIVE))
		return 0;

	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_SOCK_CALL, sizeof(*rec), source, &p, cookie);
	wv_fill_sock_call(rec, &t, call, ret, send);
	if (call)
		call->proto_enter_ns = 0;
	wv_submit(rec);
	return 0;
}

/* The protocol function was entered: its start, for the latency the exit probe reports. */
static __always_inline int wv_proto_enter(struct sock *sk)
{
	struct wv_task *task = wv_task_state(true);

	if (task) {
		task->call.sk = (__u64)sk;
		task->call.proto_enter_ns = bpf_ktime_get_boot_ns();
	}
	return 0;
}

/*
 * Did a protocol function called from this one already report the call? udpv6_sendmsg
 * hands a v4-mapped destination to udp_sendmsg, whose exit reported it and cleared
 * the start (the kretprobe tier clears the socket: the outer kretprobe finds none).
 */
static __always_inline bool wv_inner_reported(void)
{
	struct wv_task *task = wv_task_state(false);

	return task && !task->call.proto_enter_ns;
}

/*
 * tier 1: fentry + fexit (the return value read with bpf_get_func_ret, whatever
 * the kernel's signature; the fentry times the call). `outer`: may call another
 * probed function that reports the call itself.
 */
#define WV_FEXIT(func, send, source, outer)						\
	SEC("fentry/" #func)								\
	int BPF_PROG(fentry_##func, struct sock *sk) { return wv_proto_enter(sk); }	\
	SEC("fexit/" #func)								\
	int BPF_PROG(fexit_##func, struct sock *sk)					\
	{										\
		__u64 ret = 0;								\
		if (outer && wv_inner_reported())					\
			return 0;							\
		bpf_get_func_ret(ctx, &ret);						\
		return wv_sock_io(sk, (int)ret, bpf_get_socket_cookie(sk), send, source, true); \
	}
WV_FEXIT(tcp_sendmsg, true, WV_SRC_FEXIT_TCP_SENDMSG, false)
WV_FEXIT(udp_sendmsg, true, WV_SRC_FEXIT_UDP_SENDMSG, false)
WV_FEXIT(tcp_recvmsg, false, WV_SRC_FEXIT_TCP_RECVMSG, false)
WV_FEXIT(udp_recvmsg, false, WV_SRC_FEXIT_UDP_RECVMSG, false)
/* IPv6 UDP has its own sendmsg/recvmsg (TCP shares tcp_sendmsg/tcp_recvmsg) */
WV_FEXIT(udpv6_sendmsg, true, WV_SRC_FEXIT_UDPV6_SENDMSG, true)
WV_FEXIT(udpv6_recvmsg, false, WV_SRC_FEXIT_UDPV6_RECVMSG, true)

/* tier 2: kprobe keeps the socket and the start for the kretprobe of the same thread */
static __always_inline int wv_kprobe_exit(int ret, bool send, __u8 source)
{
	struct wv_task *task = wv_task_state(false);
	struct sock *sk;

	if (!task || !task->call.sk)
		return 0;
	sk = (struct sock *)task->call.sk;
	task->call.sk = 0;
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
WV_KPROBE(udpv6_sendmsg, true, WV_SRC_KPROBE_UDPV6_SENDMSG)
WV_KPROBE(udpv6_recvmsg, false, WV_SRC_KPROBE_UDPV6_RECVMSG)

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
 * The syscalls: entry time, MSG_* flags and where the peer's address is, for
 * the record above. A thread's entry stays between calls and is rewritten in
 * place. A receive's exit clears it (and submits the receive waiting for its
 * peer); a send has no exit program: its state names its syscall's number, and
 * the record above takes it only while the thread is still in that syscall
 * (any later send or receive syscall rewrites it at its entry first). An exit
 * program per send cost ~90 ns with its dispatch.
 */
static __always_inline void wv_call_start(struct wv_call *call, __s32 nr, bool recv, __u32 fd, __u32 flags, __u8 name_kind,
					  __u64 name_ptr, __u64 len_ptr)
{
	call->nr = nr;
	call->recv = recv;
	call->enter_ns = bpf_ktime_get_boot_ns();
	call->fd = fd;
	call->msg_flags = flags;
	call->has_flags = 1;
	call->name_kind = name_ptr ? name_kind : WV_NAME_NONE;
	call->name_ptr = name_ptr;
	call->len_ptr = len_ptr;
}

static __always_inline int wv_call_enter(__s32 nr, bool recv, __u32 fd, __u32 flags, __u8 name_kind, __u64 name_ptr,
					 __u64 len_ptr)
{
	struct wv_task *task;

	WV_FLOOR_SKIP(0);
	task = wv_task_state(true);
	if (task)
		wv_call_start(&task->call, nr, recv, fd, flags, name_kind, name_ptr, len_ptr);
	return 0;
}

/* A receive kept by wv_defer_recv: the peer the kernel wrote back to the caller, the address filters, the ring. */
static __always_inline void wv_submit_pending_recv(struct wv_task *task)
{
	struct wv_pending_recv *pending = &task->pending;
	struct wv_config *cfg;
	struct wv_rec_sock_call *rec;

	if (!pending->full)
		return;
	pending->full = 0;
	cfg = wv_cfg();
	wv_user_peer(&pending->rec.tuple, &task->call, false);
	if (!cfg || !wv_tuple_wanted(cfg, &pending->rec.tuple, WV_DIR_RECEIVE))
		return;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return;
	__builtin_memcpy(rec, &pending->rec, sizeof(*rec));
	wv_submit(rec);
}

/* A receive's exit: the protocol probes of a later call see no entry time, flags, socket or address. */
static __always_inline int wv_call_exit(void)
{
	struct wv_task *task;

	WV_FLOOR_SKIP(0);
	task = wv_task_state(false);
	if (task) {
		wv_submit_pending_recv(task);
		wv_call_clear(&task->call);
		task->call.proto_enter_ns = 0;
		task->call.sk = 0;
	}
	return 0;
}

/*
 * sendto(fd, buf, len, flags, addr, addrlen), recvfrom(…, addr, &addrlen);
 * sendmsg(fd, msg, flags), recvmsg likewise. Only the receives have an exit.
 */
#define WV_IO_SYSCALL_ENTER(call, recv, flags_arg, name_kind, name_arg, len_arg)		\
	SEC("tracepoint/syscalls/sys_enter_" #call)						\
	int sys_enter_##call(struct trace_event_raw_sys_enter *ctx)				\
	{											\
		return wv_call_enter(ctx->id, recv, ctx->args[0], ctx->args[flags_arg], name_kind,	\
				     ctx->args[name_arg], len_arg < 0 ? 0 : ctx->args[len_arg & 7]); \
	}
#define WV_IO_SYSCALL_EXIT(call)								\
	SEC("tracepoint/syscalls/sys_exit_" #call)						\
	int sys_exit_##call(struct trace_event_raw_sys_exit *ctx) { return wv_call_exit(); }
WV_IO_SYSCALL_ENTER(sendto, false, 3, WV_NAME_SOCKADDR, 4, 5)
WV_IO_SYSCALL_ENTER(recvfrom, true, 3, WV_NAME_SOCKADDR, 4, 5)
WV_IO_SYSCALL_EXIT(recvfrom)
WV_IO_SYSCALL_ENTER(sendmsg, false, 2, WV_NAME_MSGHDR, 1, -1)
WV_IO_SYSCALL_ENTER(recvmsg, true, 2, WV_NAME_MSGHDR, 1, -1)
WV_IO_SYSCALL_EXIT(recvmsg)

char LICENSE[] SEC("license") = "Dual MIT/GPL";

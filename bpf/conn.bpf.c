// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * conn.bpf.c - socket set-up calls: sock.connect(_error), sock.accept,
 * sock.bind(_error), sock.listen(_error), sock.shutdown, from the syscall
 * tracepoints. The socket is found from the fd through the calling task's file
 * table; every call teaches wv_owners who owns it.
 *
 * A TCP connect that reached SYN_SENT and then failed (refused, timed out) is
 * reported by state.bpf.c when the socket falls back to CLOSE, whether or not a
 * call is still waiting; sys_exit_connect reports only the failures before that.
 */
#include "emit.bpf.h"

#define EINPROGRESS 115

/* The address a bind or connect asked for, by thread: a call that fails leaves the socket without
 * it (an unbound socket has port 0), yet it is what the error is about and what filters test. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* tid */
	__type(value, struct wv_tuple);
} wv_call_addrs SEC(".maps");

/* Reads a user sockaddr_in/_in6 into the local (bind) or remote (connect) half of a tuple. */
static __always_inline void wv_remember_addr(const void *uaddr, bool local)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct wv_tuple t = {};
	__u8 sa[28] = {};
	__u16 family, port;

	if (!uaddr || bpf_probe_read_user(sa, 16, uaddr))
		return;
	family = *(__u16 *)sa;
	port = bpf_ntohs(*(__u16 *)(sa + 2));
	if (family == AF_INET) {
		__builtin_memcpy(local ? t.saddr : t.daddr, sa + 4, 4);
	} else if (family == AF_INET6 && !bpf_probe_read_user(sa, 28, uaddr)) {
		__builtin_memcpy(local ? t.saddr : t.daddr, sa + 8, 16);
	} else {
		return;
	}
	t.family = family;
	if (local)
		t.sport = port;
	else
		t.dport = port;
	bpf_map_update_elem(&wv_call_addrs, &tid, &t, BPF_ANY);
}

/* A failed bind or connect: the address it asked for where the socket has none. */
static __always_inline void wv_requested_addr(struct wv_tuple *t, __u32 ok_event, bool failed)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct wv_tuple *req = bpf_map_lookup_elem(&wv_call_addrs, &tid);

	if (!req)
		return;
	if (failed && req->family == t->family) {
		if (ok_event == WV_EV_SOCK_BIND && !t->sport) {
			__builtin_memcpy(t->saddr, req->saddr, 16);
			t->sport = req->sport;
		} else if (ok_event == WV_EV_SOCK_CONNECT && !t->dport) {
			__builtin_memcpy(t->daddr, req->daddr, 16);
			t->dport = req->dport;
		}
	}
	bpf_map_delete_elem(&wv_call_addrs, &tid);
}

/* The socket behind a file descriptor of the current task (0 when none). */
static __always_inline struct sock *wv_sock_of_fd(__u32 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *file = NULL;
	struct socket *sock;

	bpf_core_read(&file, sizeof(file), &fds[fd & 0xffff]);
	if (!file)
		return NULL;
	sock = BPF_CORE_READ(file, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

static __always_inline int wv_setup_call(__u32 fd, long ret, __u32 ok_event, __u32 err_event, __u8 direction,
					 __u8 source)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_task *task = wv_task_state(false);
	struct wv_call *call = task ? &task->call : NULL;
	struct wv_rec_sock_call *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	struct sock *sk = NULL;
	__u64 cookie = 0, enter_ns = 0;
	__u32 event = ret < 0 ? err_event : ok_event;
	__u16 family;

	if (call) {
		enter_ns = call->enter_ns;
		/* a TCP connect that reached SYN_SENT: its failure is state.bpf.c's to report */
		if (event == WV_EV_SOCK_CONNECT_ERROR && call->sk && ret != -EINPROGRESS)
			event = 0;
		/* what the tid-keyed map's delete did: no entry time, flags, socket or address for what follows */
		__builtin_memset(call, 0, sizeof(*call));
	}
	if (ret == -EINPROGRESS)
		event = ok_event;
	/* no entry time: the call began before the capture (sock_io.bpf.c keeps idle entries) */
	if (!cfg || !event || !call || !enter_ns)
		return 0;
	wv_proc_current(&p, true);
	if (ok_event == WV_EV_SOCK_ACCEPT) {
		/* a listener opened before the capture: its SYNs get their process from here on */
		struct sock *listener = wv_sock_of_fd(fd);

		if (listener)
			wv_learn_owner(wv_cookie_read(listener), &p);
	}
	/* accept returns the new descriptor; the others act on their argument */
	sk = wv_sock_of_fd(ok_event == WV_EV_SOCK_ACCEPT ? (__u32)ret : fd);
	if (!sk || (ret < 0 && ret != -EINPROGRESS && ok_event == WV_EV_SOCK_ACCEPT))
		sk = NULL;
	if (sk) {
		family = BPF_CORE_READ(sk, __sk_common.skc_family);
		if (family != AF_INET && family != AF_INET6)
			return 0;
		cookie = wv_cookie_read(sk);
		wv_tuple_of_sock(&t, sk, false);
	}
	if (ok_event == WV_EV_SOCK_BIND || ok_event == WV_EV_SOCK_CONNECT)
		wv_requested_addr(&t, ok_event, ret < 0 && ret != -EINPROGRESS);
	wv_learn_owner(cookie, &p);
	if (!wv_wanted(cfg, event, &p, &t, direction))
		return 0;

	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_SOCK_CALL, sizeof(*rec), source, &p, cookie);
	WV_ZERO_BODY(rec);
	rec->tuple = t;
	rec->direction = WV_DIR_NONE;
	/* shutdown is reported at entry: it has no duration yet */
	if (ok_event != WV_EV_SOCK_SHUTDOWN) {
		rec->latency_ns = rec->hdr.ts_ns - enter_ns;
		rec->has = WV_HAS_LATENCY;
	}
	if (ret < 0 && ret != -EINPROGRESS) {
		rec->errno_nr = -ret;
		rec->has |= WV_HAS_ERRNO;
	}
	wv_submit(rec);
	return 0;
}

static __always_inline int wv_setup_enter(__u32 fd)
{
	struct wv_task *task = wv_task_state(true);

	if (!task)
		return 0;
	__builtin_memset(&task->call, 0, sizeof(task->call));
	task->call.nr = -1; /* not a send or receive: sock_io.bpf.c takes nothing from it */
	task->call.enter_ns = bpf_ktime_get_boot_ns();
	task->call.fd = fd;
	return 0;
}

static __always_inline int wv_setup_exit(long ret, __u32 ok_event, __u32 err_event, __u8 direction, __u8 source)
{
	struct wv_task *task = wv_task_state(false);

	return wv_setup_call(task ? task->call.fd : 0, ret, ok_event, err_event, direction, source);
}

#define WV_SETUP_SYSCALL(name, ok, err, direction, source)				\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int sys_enter_##name(struct trace_event_raw_sys_enter *ctx)			\
	{										\
		if (ok == WV_EV_SOCK_BIND || ok == WV_EV_SOCK_CONNECT)			\
			wv_remember_addr((const void *)ctx->args[1], ok == WV_EV_SOCK_BIND); \
		return wv_setup_enter(ctx->args[0]);					\
	}										\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int sys_exit_##name(struct trace_event_raw_sys_exit *ctx)			\
	{										\
		return wv_setup_exit(ctx->ret, ok, err, direction, source);		\
	}
WV_SETUP_SYSCALL(connect, WV_EV_SOCK_CONNECT, WV_EV_SOCK_CONNECT_ERROR, WV_DIR_OUTPUT, WV_SRC_SYS_CONNECT)
WV_SETUP_SYSCALL(accept, WV_EV_SOCK_ACCEPT, 0, WV_DIR_INPUT, WV_SRC_SYS_ACCEPT)
WV_SETUP_SYSCALL(accept4, WV_EV_SOCK_ACCEPT, 0, WV_DIR_INPUT, WV_SRC_SYS_ACCEPT4)
WV_SETUP_SYSCALL(bind, WV_EV_SOCK_BIND, WV_EV_SOCK_BIND_ERROR, WV_DIR_NONE, WV_SRC_SYS_BIND)
WV_SETUP_SYSCALL(listen, WV_EV_SOCK_LISTEN, WV_EV_SOCK_LISTEN_ERROR, WV_DIR_NONE, WV_SRC_SYS_LISTEN)

/* shutdown(fd, how): reported at entry, before the state changes it causes */
SEC("tracepoint/syscalls/sys_enter_shutdown")
int sys_enter_shutdown(struct trace_event_raw_sys_enter *ctx)
{
	wv_setup_enter(ctx->args[0]);
	return wv_setup_call(ctx->args[0], 0, WV_EV_SOCK_SHUTDOWN, 0, WV_DIR_NONE, WV_SRC_SYS_SHUTDOWN);
}

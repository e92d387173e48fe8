/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * maps.bpf.h - includes and the maps every program shares. Each .bpf.c file
 * includes this; the maps are __weak so that the static linker (bpftool gen
 * object) keeps one of each in wireview.bpf.o.
 */
#ifndef WIREVIEW_MAPS_BPF_H
#define WIREVIEW_MAPS_BPF_H

#include "vmlinux.h"
/* vmlinux.h already holds the kernel's types: keep records.h's include out */
#define _LINUX_TYPES_H
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "records.h"
#include "config.h"

#define AF_INET 2
#define AF_INET6 10
#define EAGAIN 11
#define IPPROTO_ICMPV6 58

/*
 * A ring buffer per CPU, each record reserved in the ring of the CPU it is made
 * on: one ring shared by every CPU costs each record its lock and producer
 * lines from whichever CPU wrote last. The loader sizes the slots (the CPUs)
 * and the rings, creates one ring per online CPU and stores it in its slot.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_RINGBUF);
		__uint(max_entries, 1 << 22);
	});
} wv_events SEC(".maps") __weak;

/* Records the ring buffer could not take, per CPU, and when (a ring buffer reports none itself). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wv_loss);
} wv_lost SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wv_config);
} wv_config SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WV_PIDS_MAX);
	__type(key, __u32);
	__type(value, __u8);
} wv_pids SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WV_COMMS_MAX);
	__type(key, struct wv_comm_key);
	__type(value, __u8);
} wv_comms SEC(".maps") __weak;

/* Who owns a socket: learned in the calls a process makes on it, read in softirq. */
struct wv_owner {
	__u64 cgroup_id;
	__u32 pid;
	__u32 tid;
	char comm[WV_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, WV_OWNERS_MAX);
	__type(key, __u64); /* socket cookie */
	__type(value, struct wv_owner);
} wv_owners SEC(".maps") __weak;

/* The event of each drop reason of the running kernel (named from its BTF by the loader); 0 = ignore. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, WV_DROP_REASONS_MAX);
	__type(key, __u32);
	__type(value, __u16);
} wv_drop_events SEC(".maps") __weak;

/* Where a send or recv call keeps its peer's address (wv_call.name_kind). */
enum wv_name_kind {
	WV_NAME_NONE,
	WV_NAME_SOCKADDR, /* sendto, recvfrom: name_ptr is the caller's struct sockaddr */
	WV_NAME_MSGHDR,   /* sendmsg, recvmsg: name_ptr is the caller's struct user_msghdr (msg_name inside) */
};

/*
 * A syscall in flight on a thread: its entry time and flags, the socket it acts
 * on, and where the caller keeps the peer's address (an unconnected UDP socket
 * has none of its own): read at once for a send, at the syscall's exit for a
 * receive, which the kernel fills on its way out.
 */
struct wv_call {
	__u64 enter_ns;
	__u64 sk;	/* struct sock *, once known */
	__u32 msg_flags;
	__u32 fd;
	__u8 has_flags;
	__u8 name_kind;   /* enum wv_name_kind */
	__u8 recv;	/* the syscall receives (its state is for receives only; a send's for sends only) */
	__u8 _pad;
	__s32 nr;	/* the syscall's number (send/recv syscalls): its state holds only while the thread is in it */
	__u64 name_ptr;   /* user pointer to the sockaddr or the user_msghdr */
	__u64 len_ptr;    /* recvfrom: user pointer to the address length; sendto: the length itself */
	__u64 proto_enter_ns;	/* fentry/kprobe on the protocol's sendmsg/recvmsg */
};

/* A sock.recv of an unconnected UDP socket waiting for its syscall's exit to learn the peer (per thread). */
struct wv_pending_recv {
	struct wv_rec_sock_call rec;
	__u8 full;
	__u8 _pad[7];
};

/*
 * A thread's syscall state: the call in flight and the receive waiting for its
 * exit. Task local storage, not a tid-keyed hash: the lookup is an index into
 * the task's own storage (no hashing, no LRU bookkeeping) on the path of every
 * send and recv, and the entry dies with its thread (one that dies inside a
 * call never reaches the exit that would clear it).
 */
struct wv_task {
	struct wv_call call;
	struct wv_pending_recv pending;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct wv_task);
} wv_tasks SEC(".maps") __weak;

/* The number of the syscall the thread on the CPU is in: what the syscalls: tracepoints give as `id`. */
static __always_inline __s32 wv_current_syscall(void)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

#if defined(__TARGET_ARCH_x86)
	return regs->orig_ax;
#elif defined(__TARGET_ARCH_arm64)
	return regs->syscallno;
#else
#error "wv_current_syscall: which pt_regs field holds the syscall number on this architecture?"
#endif
}

/* The state of the thread on the CPU; `create`: made (zeroed) when it has none yet, at a syscall's entry. */
static __always_inline struct wv_task *wv_task_state(bool create)
{
	return bpf_task_storage_get(&wv_tasks, bpf_get_current_task_btf(), 0, create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

#endif /* WIREVIEW_MAPS_BPF_H */

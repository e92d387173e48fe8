// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * owner.bpf.c - learns who owns a socket the moment it is created
 * (cgroup/sock_create runs in the creating task), so that the first packet
 * of a UDP socket or a SYN already carries its process, on every kernel:
 * the socket tracepoints that also teach wv_owners come after the packet,
 * and without BTF they cannot even name the socket's cookie.
 */
#include "emit.bpf.h"

SEC("cgroup/sock_create")
int cgroup_sock_create(struct bpf_sock *ctx)
{
	struct wv_proc p = {};
	__u64 cookie;

	if (ctx->family != AF_INET && ctx->family != AF_INET6)
		return 1;
	cookie = bpf_get_socket_cookie(ctx);
	wv_proc_current(&p, true);
	wv_learn_owner(cookie, &p);
	return 1;
}

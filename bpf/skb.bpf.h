/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * skb.bpf.h - the tuple of a packet buffer seen outside cgroup_skb (drops,
 * resets without a socket, ICMP errors), read from its network and transport
 * headers. Works for any layer that has set the network header.
 */
#ifndef WIREVIEW_SKB_BPF_H
#define WIREVIEW_SKB_BPF_H

#include "emit.bpf.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD

/*
 * A field of a kernel object: a plain load when `btf` says the pointer is typed (tp_btf, fexit; the
 * drop and buffer tracepoints run for every dropped datagram), else a bpf_probe_read_kernel call.
 */
#define WV_FIELD(btf, ptr, field) ((btf) ? (ptr)->field : BPF_CORE_READ(ptr, field))

/*
 * Reads addresses and ports; `flip` makes saddr the packet's destination (our side of a reply).
 * `btf`: `skb` is a typed kernel pointer, its fields read with plain loads.
 */
static __always_inline bool wv_tuple_of_skb(struct wv_tuple *t, const struct sk_buff *skb, bool flip, bool btf)
{
	unsigned char *head = WV_FIELD(btf, skb, head);
	__u16 nh = WV_FIELD(btf, skb, network_header);
	__u16 th = WV_FIELD(btf, skb, transport_header);
	__u16 proto = bpf_ntohs(WV_FIELD(btf, skb, protocol));
	__u16 ports[2] = {};
	__u32 l4;

	if (nh == (__u16)~0U)
		return false;
	if (proto == ETH_P_IP) {
		struct iphdr ip;

		if (bpf_probe_read_kernel(&ip, sizeof(ip), head + nh))
			return false;
		t->family = AF_INET;
		__builtin_memcpy(flip ? t->daddr : t->saddr, &ip.saddr, 4);
		__builtin_memcpy(flip ? t->saddr : t->daddr, &ip.daddr, 4);
		t->proto = ip.protocol;
		l4 = nh + ip.ihl * 4;
	} else if (proto == ETH_P_IPV6) {
		struct ipv6hdr ip6;

		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), head + nh))
			return false;
		t->family = AF_INET6;
		__builtin_memcpy(flip ? t->daddr : t->saddr, &ip6.saddr, 16);
		__builtin_memcpy(flip ? t->saddr : t->daddr, &ip6.daddr, 16);
		t->proto = ip6.nexthdr;
		l4 = nh + sizeof(ip6);
	} else {
		return false;
	}
	/* the transport header is set from the layer that parsed it; before that, it follows IP */
	if (th != (__u16)~0U && th > nh)
		l4 = th;
	if ((t->proto == IPPROTO_TCP || t->proto == IPPROTO_UDP) && !bpf_probe_read_kernel(ports, sizeof(ports), head + l4)) {
		t->sport = bpf_ntohs(flip ? ports[1] : ports[0]);
		t->dport = bpf_ntohs(flip ? ports[0] : ports[1]);
	}
	return true;
}

/* The process of a packet: its socket's owner, else nobody (these run in softirq). */
static __always_inline __u64 wv_proc_of_skb(struct wv_proc *p, const struct sk_buff *skb, bool btf)
{
	struct sock *sk = WV_FIELD(btf, skb, sk);
	__u64 cookie = btf ? wv_cookie_load(sk) : wv_cookie_read(sk);

	wv_proc_of_sock(p, cookie, false);
	return cookie;
}

#endif /* WIREVIEW_SKB_BPF_H */

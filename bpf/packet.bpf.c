// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * packet.bpf.c - pkt.tcp, pkt.udp, pkt.icmp and pkt.ip from cgroup_skb
 * ingress/egress on the cgroup v2 root: addresses, ports, the whole TCP header
 * with its options, UDP length, ICMP type/code, and the first bytes of DNS
 * messages (UDP or TCP port 53) for user space to parse. Packets are charged to
 * the owner of their socket (wv_owners); the verdict is always "pass". Only
 * DNS packets take a wv_rec_packet: the others a wv_rec_packet_short.
 */
#include "emit.bpf.h"

#define DNS_PORT 53
#define TCP_OPTS_MAX 40

struct wv_l4 {
	__u32 off;		/* transport header offset */
	__u32 payload_off;	/* payload offset */
	__u8 proto;
};

#define IPV6_EXT_MAX 4	/* extension headers walked before the transport header */

/*
 * IPv6 extension headers from l4->proto at l4->off, up to IPV6_EXT_MAX of them: hop-by-hop (0),
 * routing (43), destination options (60), each (len + 1) * 8 bytes; AH (51), (len + 2) * 4; a
 * fragment header (44), 8 bytes, after which only the first fragment has a transport header.
 * Leaves l4 at the header after them (proto 0 for a later fragment or a header cut short).
 */
static __always_inline void wv_ipv6_ext(struct __sk_buff *skb, struct wv_l4 *l4)
{
#pragma unroll
	for (int i = 0; i < IPV6_EXT_MAX; i++) {
		__u8 next = l4->proto;
		__u8 h[4];

		if (next != 0 && next != 43 && next != 60 && next != 51 && next != 44)
			return;
		if (bpf_skb_load_bytes(skb, l4->off, h, sizeof(h))) {
			l4->proto = 0;
			return;
		}
		l4->proto = h[0];
		if (next == 44) {
			l4->off += 8;
			if (((h[2] << 8) | h[3]) & 0xfff8) {
				l4->proto = 0; /* a later fragment */
				return;
			}
		} else if (next == 51) {
			l4->off += ((__u32)h[1] + 2) * 4;
		} else {
			l4->off += ((__u32)h[1] + 1) * 8;
		}
	}
}

/* IP header into the tuple; returns false for what is not IP. */
static __always_inline bool wv_ip(struct __sk_buff *skb, struct wv_tuple *t, struct wv_l4 *l4)
{
	struct ipv6hdr ip6;
	struct iphdr ip;
	__u8 version;

	/* one load for IPv4 (and the version of IPv6, whose header is longer than an IPv4 one) */
	if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)))
		return false;
	version = ((__u8 *)&ip)[0];
	if (version >> 4 == 4) {
		t->family = AF_INET;
		__builtin_memcpy(t->saddr, &ip.saddr, 4);
		__builtin_memcpy(t->daddr, &ip.daddr, 4);
		l4->proto = ip.protocol;
		l4->off = ip.ihl * 4;
		/* a later fragment has no transport header */
		if (ip.frag_off & bpf_htons(0x1fff))
			l4->proto = 0;
	} else if (version >> 4 == 6) {
		if (bpf_skb_load_bytes(skb, 0, &ip6, sizeof(ip6)))
			return false;
		t->family = AF_INET6;
		__builtin_memcpy(t->saddr, &ip6.saddr, 16);
		__builtin_memcpy(t->daddr, &ip6.daddr, 16);
		l4->proto = ip6.nexthdr;
		l4->off = sizeof(ip6);
		wv_ipv6_ext(skb, l4);
	} else {
		return false;
	}
	t->proto = l4->proto;
	return true;
}

/* TCP options walked by bpf_loop, one option per step (verified once, whatever the options). */
struct wv_opt_walk {
	__u8 buf[80];	/* 64 for the masked index, plus what an option reads past it */
	__u32 i;
	__u32 len;
	__u32 ts_val;
	__u32 ts_ecr;
	__u16 mss;
	__u8 bits;	/* TCP option bits of records.h */
	__u8 wscale;
};

static long wv_opt_step(__u32 n, struct wv_opt_walk *w)
{
	__u32 i = w->i;
	__u8 kind, size;

	if (i >= w->len || i >= TCP_OPTS_MAX)
		return 1;
	kind = w->buf[i & 0x3f];
	if (kind == 0)
		return 1;
	if (kind == 1) {
		w->i = i + 1;
		return 0;
	}
	size = w->buf[(i + 1) & 0x3f];
	if (size < 2)
		return 1;
	if (kind == 2) {
		w->bits |= 1;
		w->mss = w->buf[(i + 2) & 0x3f] << 8 | w->buf[(i + 3) & 0x3f];
	} else if (kind == 3) {
		w->bits |= 2;
		w->wscale = w->buf[(i + 2) & 0x3f];
	} else if (kind == 4) {
		w->bits |= 4;
	} else if (kind == 8) {
		__u32 at = (i + 2) & 0x3f;

		w->bits |= 8;
		w->ts_val = (__u32)w->buf[at] << 24 | (__u32)w->buf[at + 1] << 16 | (__u32)w->buf[at + 2] << 8 | w->buf[at + 3];
		at = (i + 6) & 0x3f;
		w->ts_ecr = (__u32)w->buf[at] << 24 | (__u32)w->buf[at + 1] << 16 | (__u32)w->buf[at + 2] << 8 | w->buf[at + 3];
	} else if (kind == 5) {
		w->bits |= 16;
	} else if (kind == 34) {
		w->bits |= 32;
	} else if (kind == 30) {
		w->bits |= 64;
	} else {
		w->bits |= 128;
	}
	w->i = i + size;
	return 0;
}

/*
 * TCP options: which are present, and the values of MSS, window scale and timestamps. One load of
 * all of them (a helper call per 32-bit word cost up to ten); the asm keeps the length's bounds
 * (1..64, within buf) on the register the helper reads.
 */
static __noinline void wv_tcp_options(struct __sk_buff *skb, struct wv_opt_walk *w, __u32 off, __u32 len)
{
	if (len == 0 || len > TCP_OPTS_MAX)
		return;
	w->len = len;
	asm volatile("%[n] += -1\n%[n] &= 0x3f\n%[n] += 1" : [n] "+r"(len));
	if (bpf_skb_load_bytes(skb, off, w->buf, len)) {
		w->len = 0;
		return;
	}
	bpf_loop(TCP_OPTS_MAX, wv_opt_step, w, 0);
}

/* The TCP header and its options, read before the record is reserved. */
static __always_inline void wv_tcp_fill(struct wv_rec_packet_short *rec, const struct tcphdr *th, const struct wv_opt_walk *w)
{
	rec->tcp_seq = bpf_ntohl(th->seq);
	rec->tcp_ack = bpf_ntohl(th->ack_seq);
	rec->tcp_flags = ((__u8 *)th)[13] | (((__u8 *)th)[12] & 1) << 8;
	rec->tcp_window = bpf_ntohs(th->window);
	rec->tcp_csum = bpf_ntohs(th->check);
	rec->tcp_urg = bpf_ntohs(th->urg_ptr);
	rec->tcp_doff = th->doff;
	rec->tcp_options = w->bits;
	rec->tcp_mss = w->mss;
	rec->tcp_wscale = w->wscale;
	rec->tcp_ts_val = w->ts_val;
	rec->tcp_ts_ecr = w->ts_ecr;
}

/* Copies the first bytes of a DNS message; the asm keeps the size's bounds on the register the helper reads. */
static __noinline int wv_dns(struct __sk_buff *skb, __u8 *dst, __u32 off, __u32 len)
{
	if (len == 0)
		return 0;
	if (len > WV_DNS_PAYLOAD_MAX)
		len = WV_DNS_PAYLOAD_MAX;
	asm volatile("%[n] += -1\n%[n] &= 0xff\n%[n] += 1" : [n] "+r"(len));
	return bpf_skb_load_bytes(skb, off, dst, len) ? 0 : len;
}

/* wv_rec_packet_short is wv_rec_packet without dns[]: one fill serves both. */
_Static_assert(sizeof(struct wv_rec_packet_short) == __builtin_offsetof(struct wv_rec_packet, dns),
	       "wv_rec_packet_short must be wv_rec_packet up to dns[]");
_Static_assert(__builtin_offsetof(struct wv_rec_packet_short, has) == __builtin_offsetof(struct wv_rec_packet, has) &&
	       __builtin_offsetof(struct wv_rec_packet_short, direction) == __builtin_offsetof(struct wv_rec_packet, direction),
	       "wv_rec_packet_short must be wv_rec_packet up to dns[]");

/* Everything but the DNS bytes, read before the record was reserved (the UDP length, host order, too); returns the payload offset. */
static __always_inline __u32 wv_packet_fill(struct wv_rec_packet_short *rec, struct __sk_buff *skb, const struct wv_tuple *t,
					    const struct wv_l4 *l4, const struct tcphdr *th, const struct wv_opt_walk *w,
					    __u32 len, __u8 direction, __u16 udp_len)
{
	__u32 payload_off;

	rec->tuple = *t;
	rec->direction = direction;
	rec->pkt_len_bytes = len;
	if (skb->ifindex) {
		rec->ifindex = skb->ifindex;
		rec->has |= WV_HAS_IFINDEX;
	}
	if (l4->proto == IPPROTO_TCP) {
		wv_tcp_fill(rec, th, w);
		payload_off = l4->off + th->doff * 4;
	} else if (l4->proto == IPPROTO_UDP) {
		rec->udp_len = udp_len;
		payload_off = l4->off + 8;
	} else if (l4->proto == IPPROTO_ICMP || l4->proto == IPPROTO_ICMPV6) {
		bpf_skb_load_bytes(skb, l4->off, &rec->icmp_type, 1);
		bpf_skb_load_bytes(skb, l4->off + 1, &rec->icmp_code, 1);
		payload_off = l4->off + 8;
	} else {
		payload_off = l4->off;
	}
	rec->payload_bytes = len > payload_off ? len - payload_off : 0;
	return payload_off;
}

static __always_inline int wv_packet(struct __sk_buff *skb, __u8 direction, __u8 source)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_packet_short *rec;
	struct wv_rec_packet *full;
	struct wv_tuple t = {};
	struct wv_l4 l4 = {};
	struct wv_proc p = {};
	struct wv_opt_walk w = {};
	struct tcphdr th = {};
	struct udphdr uh = {};
	__u16 ports[2] = {};
	__u32 event, wanted, payload_off, len = skb->len;
	__u16 udp_len = 0;
	__u64 cookie;
	bool dns = false, th_ok = false;

	WV_FLOOR_RETURN(1, WV_EV_PKT_UDP);
	if (!cfg || !wv_ip(skb, &t, &l4))
		return 1;
	/*
	 * The whole TCP or UDP header in one load, ports included (a helper call each for the ports,
	 * the UDP length and the TCP header cost two more); a header cut short falls back to the
	 * ports alone, as before.
	 */
	if (l4.proto == IPPROTO_TCP && !bpf_skb_load_bytes(skb, l4.off, &th, sizeof(th))) {
		th_ok = true;
		ports[0] = th.source;
		ports[1] = th.dest;
	} else if (l4.proto == IPPROTO_UDP && !bpf_skb_load_bytes(skb, l4.off, &uh, sizeof(uh))) {
		ports[0] = uh.source;
		ports[1] = uh.dest;
		udp_len = bpf_ntohs(uh.len);
	} else if (l4.proto == IPPROTO_TCP || l4.proto == IPPROTO_UDP) {
		if (bpf_skb_load_bytes(skb, l4.off, ports, sizeof(ports)))
			l4.proto = 0;
		else if (l4.proto == IPPROTO_UDP && !bpf_skb_load_bytes(skb, l4.off + 4, &udp_len, 2))
			udp_len = bpf_ntohs(udp_len);
	}
	if (l4.proto == IPPROTO_TCP || l4.proto == IPPROTO_UDP) {
		t.sport = bpf_ntohs(ports[0]);
		t.dport = bpf_ntohs(ports[1]);
		dns = t.sport == DNS_PORT || t.dport == DNS_PORT;
	}
	if (l4.proto == IPPROTO_TCP)
		event = WV_EV_PKT_TCP;
	else if (l4.proto == IPPROTO_UDP)
		event = WV_EV_PKT_UDP;
	else if (l4.proto == IPPROTO_ICMP || l4.proto == IPPROTO_ICMPV6)
		event = WV_EV_PKT_ICMP;
	else
		event = WV_EV_PKT_IP;
	/* DNS events are parsed from packets in user space: they need the packet even when pkt.* is off */
	dns = dns && (wv_event_on(cfg, WV_EV_DNS_QUERY) || wv_event_on(cfg, WV_EV_DNS_ANSWER));
	wanted = wv_event_on(cfg, event) ? event : dns ? WV_EV_DNS_QUERY : 0;
	if (!wanted)
		return 1;
	cookie = bpf_get_socket_cookie(skb);
	wv_proc_owner_only(&p, cookie);
	if (!(p.flags & WV_F_PID_OWNER))
		p.cgroup_id = bpf_skb_cgroup_id(skb);
	if (!wv_wanted(cfg, wanted, &p, &t, direction))
		return 1;
	if (l4.proto == IPPROTO_TCP) {
		if (!th_ok)
			return 1;
		if (th.doff > 5)
			wv_tcp_options(skb, &w, l4.off + sizeof(th), th.doff * 4 - sizeof(th));
	}

	if (!dns) {
		rec = wv_reserve(sizeof(*rec));
		if (!rec)
			return 1;
		wv_fill_hdr(&rec->hdr, event, WV_REC_PACKET_SHORT, sizeof(*rec), source, &p, cookie);
		WV_ZERO_BODY(rec);
		wv_packet_fill(rec, skb, &t, &l4, &th, &w, len, direction, udp_len);
		wv_submit(rec);
		return 1;
	}
	full = wv_reserve(sizeof(*full));
	if (!full)
		return 1;
	wv_fill_hdr(&full->hdr, event, WV_REC_PACKET, sizeof(*full), source, &p, cookie);
	WV_ZERO_BODY(full);
	payload_off = wv_packet_fill((struct wv_rec_packet_short *)full, skb, &t, &l4, &th, &w, len, direction, udp_len);
	/* DNS over TCP: the message follows a two-byte length */
	if (l4.proto == IPPROTO_TCP && len > payload_off + 2)
		full->dns_len_bytes = wv_dns(skb, full->dns, payload_off + 2, len - payload_off - 2);
	else if (l4.proto == IPPROTO_UDP && len > payload_off)
		full->dns_len_bytes = wv_dns(skb, full->dns, payload_off, len - payload_off);
	if (full->dns_len_bytes)
		full->has |= WV_HAS_DNS;
	wv_submit(full);
	return 1;
}

SEC("cgroup_skb/ingress")
int cgroup_skb_ingress(struct __sk_buff *skb)
{
	return wv_packet(skb, WV_DIR_INPUT, WV_SRC_CGROUP_SKB_INGRESS);
}

SEC("cgroup_skb/egress")
int cgroup_skb_egress(struct __sk_buff *skb)
{
	return wv_packet(skb, WV_DIR_OUTPUT, WV_SRC_CGROUP_SKB_EGRESS);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

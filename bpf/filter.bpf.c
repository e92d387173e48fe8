// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * filter.bpf.c - the address and port filters of config.h. A global function:
 * the verifier checks it once, not once per caller state, which keeps the
 * packet programs far below the instruction limit.
 */
#include "emit.bpf.h"

/* Does the first prefix_len bits of `a` equal the filter's address? Four words, no inner loop. */
static __always_inline bool wv_prefix_match(const __u8 *a, const struct wv_addr_filter *f)
{
	__u32 words[4], want[4];

	__builtin_memcpy(words, a, 16);
	__builtin_memcpy(want, f->addr, 16);
#pragma unroll
	for (int w = 0; w < 4; w++) {
		int bits = (int)f->prefix_len - w * 32;
		__u32 mask;

		if (bits <= 0)
			break;
		mask = bits >= 32 ? ~0U : bpf_htonl(~0U << (32 - bits));
		if ((words[w] ^ want[w]) & mask)
			return false;
	}
	return true;
}

static __always_inline __u8 wv_dir_bits(__u32 direction)
{
	if (direction == WV_DIR_INPUT || direction == WV_DIR_RECEIVE)
		return WV_FILTER_INPUT;
	if (direction == WV_DIR_OUTPUT || direction == WV_DIR_SEND)
		return WV_FILTER_OUTPUT;
	return WV_FILTER_INPUT | WV_FILTER_OUTPUT;
}

__noinline int wv_tuple_wanted(const struct wv_config *cfg, const struct wv_tuple *t, __u32 direction)
{
	__u8 dir = wv_dir_bits(direction);
	bool applies = false, match = false;

	if (!cfg || !t || !t->family)
		return 1;
	for (__u32 i = 0; i < WV_ADDR_FILTERS_MAX; i++) {
		const struct wv_addr_filter *f = &cfg->addrs[i];

		if (i >= cfg->addr_count)
			break;
		if (!(f->directions & dir))
			continue;
		applies = true;
		if (f->family == t->family && wv_prefix_match(f->type == WV_FILTER_SOURCE ? t->saddr : t->daddr, f))
			match = true;
	}
	if (applies && !match)
		return 0;
	if (t->proto != IPPROTO_TCP && t->proto != IPPROTO_UDP)
		return 1;
	applies = match = false;
	for (__u32 i = 0; i < WV_PORT_FILTERS_MAX; i++) {
		const struct wv_port_filter *f = &cfg->ports[i];
		__u16 port = f->type == WV_FILTER_SOURCE ? t->sport : t->dport;

		if (i >= cfg->port_count)
			break;
		if (!(f->directions & dir))
			continue;
		applies = true;
		if (port >= f->lo && port <= f->hi)
			match = true;
	}
	return !applies || match;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

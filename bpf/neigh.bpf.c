// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * neigh.bpf.c - the neighbour (ARP/NDP) table: neigh.create (neigh:neigh_create),
 * neigh.update (neigh:neigh_update_done, which has the state after the change
 * and the result), neigh.failed (an update or a timer that leaves the entry
 * FAILED: resolution gave up) and neigh.release (neigh:neigh_cleanup_and_release).
 * These run in the task that sent the packet or ran `ip neigh`, in timers or
 * in the garbage collector: the task on the CPU is reported, never as owner.
 */
#include "emit.bpf.h"

#define NUD_FAILED 0x20
#define NUD_VALID 0xde /* PERMANENT NOARP REACHABLE PROBE STALE DELAY: the entry holds a hardware address */

static __always_inline int wv_neigh(const struct neighbour *n, const struct neigh_table *tbl, const struct net_device *dev,
				    const void *key, __u32 event, int err, bool task, __u8 source)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_neigh *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	__u32 key_len;

	if (!cfg || !wv_event_on(cfg, event))
		return 0;
	/* neigh_create fires before the new entry has its device and key: its arguments say them */
	if (n && !tbl) {
		tbl = BPF_CORE_READ(n, tbl);
		dev = BPF_CORE_READ(n, dev);
		key = &n->primary_key;
	}
	if (!tbl || !key)
		return 0;
	/* the neighbour's address is what a destination filter tests, as the decoded row shows it in daddr */
	t.family = BPF_CORE_READ(tbl, family);
	key_len = t.family == AF_INET6 ? 16 : 4;
	if (t.family != AF_INET && t.family != AF_INET6)
		t.family = 0;
	else if (bpf_probe_read_kernel(t.daddr, key_len, key))
		return 0;
	if (task)
		wv_proc_current(&p, false);
	if (!wv_wanted(cfg, event, &p, &t, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_NEIGH, sizeof(*rec), source, &p, 0);
	WV_ZERO_BODY(rec);
	__builtin_memcpy(rec->addr, t.daddr, sizeof(rec->addr));
	rec->family = t.family;
	rec->err = err;
	if (dev)
		rec->ifindex = BPF_CORE_READ(dev, ifindex);
	if (n) {
		__u8 hw_len = dev ? BPF_CORE_READ(dev, addr_len) : 0;

		rec->nud_state = BPF_CORE_READ(n, nud_state);
		if (hw_len > sizeof(rec->hwaddr))
			hw_len = sizeof(rec->hwaddr);
		if (hw_len && (rec->nud_state & NUD_VALID)) {
			bpf_probe_read_kernel(rec->hwaddr, sizeof(rec->hwaddr), &n->ha);
			rec->hwaddr_len = hw_len;
		}
	}
	wv_submit(rec);
	return 0;
}

static __always_inline int wv_neigh_done(const struct neighbour *n, int err, __u8 source)
{
	bool failed = BPF_CORE_READ(n, nud_state) & NUD_FAILED;

	return wv_neigh(n, NULL, NULL, NULL, failed ? WV_EV_NEIGH_FAILED : WV_EV_NEIGH_UPDATE, err, true, source);
}

static __always_inline int wv_neigh_timer(const struct neighbour *n, __u8 source)
{
	if (!(BPF_CORE_READ(n, nud_state) & NUD_FAILED))
		return 0;
	return wv_neigh(n, NULL, NULL, NULL, WV_EV_NEIGH_FAILED, 0, false, source);
}

#define WV_BOTH(tp, args, call_btf, call_raw)						\
	SEC("tp_btf/" #tp) int BPF_PROG(btf_##tp, args) { return call_btf; }		\
	SEC("raw_tp/" #tp) int BPF_PROG(raw_##tp, args) { return call_raw; }
#define WV_ARGS(...) __VA_ARGS__

/*
 * n is null when the allocation failed (ENOBUFS, as ___neigh_create returns).
 * The typed program reads `const void *pkey` as a plain word: Linux 6.1's
 * verifier refuses a tp_btf read of a void pointer argument ("invalid
 * bpf_context access").
 */
SEC("tp_btf/neigh_create")
int BPF_PROG(btf_neigh_create, struct neigh_table *tbl, struct net_device *dev)
{
	const struct neighbour *n = (const struct neighbour *)ctx[3];
	const void *pkey = NULL;

	bpf_probe_read_kernel(&pkey, sizeof(pkey), &ctx[2]);
	return wv_neigh(n, tbl, dev, pkey, WV_EV_NEIGH_CREATE, n ? 0 : -105, true, WV_SRC_BTF_NEIGH_CREATE);
}

SEC("raw_tp/neigh_create")
int BPF_PROG(raw_neigh_create, struct neigh_table *tbl, struct net_device *dev, const void *pkey, const struct neighbour *n)
{
	return wv_neigh(n, tbl, dev, pkey, WV_EV_NEIGH_CREATE, n ? 0 : -105, true, WV_SRC_RAW_NEIGH_CREATE);
}
WV_BOTH(neigh_update_done, WV_ARGS(struct neighbour *n, int err),
	wv_neigh_done(n, err, WV_SRC_BTF_NEIGH_UPDATE_DONE),
	wv_neigh_done(n, err, WV_SRC_RAW_NEIGH_UPDATE_DONE))
WV_BOTH(neigh_timer_handler, WV_ARGS(struct neighbour *n, int err),
	wv_neigh_timer(n, WV_SRC_BTF_NEIGH_TIMER_HANDLER),
	wv_neigh_timer(n, WV_SRC_RAW_NEIGH_TIMER_HANDLER))
WV_BOTH(neigh_cleanup_and_release, WV_ARGS(struct neighbour *n, int rc),
	wv_neigh(n, NULL, NULL, NULL, WV_EV_NEIGH_RELEASE, 0, true, WV_SRC_BTF_NEIGH_CLEANUP_AND_RELEASE),
	wv_neigh(n, NULL, NULL, NULL, WV_EV_NEIGH_RELEASE, 0, true, WV_SRC_RAW_NEIGH_CLEANUP_AND_RELEASE))

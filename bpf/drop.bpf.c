// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * drop.bpf.c - drop.* from skb:kfree_skb. The reason numbers differ between
 * kernels: the loader names them from this kernel's BTF and fills
 * wv_drop_events (reason -> drop.* event, 0 = not a drop worth a record), so
 * the kernel side only looks the number up. The record keeps the number, which
 * user space names with the same table.
 */
#include "skb.bpf.h"

/* The bits of drop.nomem … drop.other in wv_config.events[0] (contiguous numbers below 64). */
#define WV_DROP_EVENT_BITS (((1ULL << (WV_EV_DROP_OTHER + 1)) - 1) & ~((1ULL << WV_EV_DROP_NOMEM) - 1))
_Static_assert(WV_EV_DROP_OTHER - WV_EV_DROP_NOMEM == 9 && WV_EV_DROP_OTHER < 64, "drop.* events are contiguous, in word 0");

/* `btf`: `skb` is a typed kernel pointer (tp_btf), read with plain loads */
static __always_inline int wv_drop(const struct sk_buff *skb, void *location, __u32 reason, __u8 source, bool btf)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_drop *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	struct net_device *dev;
	__u16 *mapped;
	__u64 cookie;
	__u32 event;

	WV_FLOOR_RETURN(0, WV_EV_DROP_QUEUE_FULL);
	/* kfree_skb fires for every drop: no lookup at all while every drop.* event is off */
	if (!cfg || !(cfg->events[0] & WV_DROP_EVENT_BITS))
		return 0;
	mapped = bpf_map_lookup_elem(&wv_drop_events, &reason);
	event = mapped ? *mapped : 0;
	/* the table holds drop.* events only, all in word 0 */
	if (event < WV_EV_DROP_NOMEM || event > WV_EV_DROP_OTHER || !((cfg->events[0] >> event) & 1))
		return 0;
	wv_tuple_of_skb(&t, skb, false, btf);
	cookie = wv_proc_of_skb(&p, skb, btf);
	if (!wv_wanted(cfg, event, &p, &t, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_DROP, sizeof(*rec), source, &p, cookie);
	WV_ZERO_BODY(rec);
	rec->tuple = t;
	rec->location = (__u64)location;
	rec->reason = reason;
	rec->pkt_len_bytes = WV_FIELD(btf, skb, len);
	rec->l3_proto = bpf_ntohs(WV_FIELD(btf, skb, protocol));
	dev = WV_FIELD(btf, skb, dev);
	if (dev) {
		rec->ifindex = WV_FIELD(btf, dev, ifindex);
		rec->has = WV_HAS_IFINDEX;
	}
	wv_submit(rec);
	return 0;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(btf_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	return wv_drop(skb, location, reason, WV_SRC_BTF_KFREE_SKB, true);
}

SEC("raw_tp/kfree_skb")
int BPF_PROG(raw_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	return wv_drop(skb, location, reason, WV_SRC_RAW_KFREE_SKB, false);
}

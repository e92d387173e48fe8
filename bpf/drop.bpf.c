// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * drop.bpf.c - drop.* from skb:kfree_skb. The reason numbers differ between
 * kernels: the loader names them from this kernel's BTF and fills
 * wv_drop_events (reason -> drop.* event, 0 = not a drop worth a record), so
 * the kernel side only looks the number up. The record keeps the number, which
 * user space names with the same table.
 */
#include "skb.bpf.h"

static __always_inline int wv_drop(const struct sk_buff *skb, void *location, __u32 reason, __u8 source)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_drop *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	struct net_device *dev;
	__u16 *mapped;
	__u64 cookie;
	__u32 event;

	mapped = bpf_map_lookup_elem(&wv_drop_events, &reason);
	event = mapped ? *mapped : 0;
	if (!cfg || !event || !wv_event_on(cfg, event))
		return 0;
	wv_tuple_of_skb(&t, skb, false);
	cookie = wv_proc_of_skb(&p, skb);
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
	rec->pkt_len_bytes = BPF_CORE_READ(skb, len);
	rec->l3_proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	dev = BPF_CORE_READ(skb, dev);
	if (dev) {
		rec->ifindex = BPF_CORE_READ(dev, ifindex);
		rec->has = WV_HAS_IFINDEX;
	}
	wv_submit(rec, event);
	return 0;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(btf_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	return wv_drop(skb, location, reason, WV_SRC_BTF_KFREE_SKB);
}

SEC("raw_tp/kfree_skb")
int BPF_PROG(raw_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	return wv_drop(skb, location, reason, WV_SRC_RAW_KFREE_SKB);
}

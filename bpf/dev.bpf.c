// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * dev.bpf.c - the device layer: dev.xmit (net:net_dev_xmit), dev.recv
 * (net:netif_receive_skb) and dev.xmit_timeout (net:net_dev_xmit_timeout, the
 * transmit watchdog). No process: these run wherever the queue is serviced.
 */
#include "emit.bpf.h"

static __always_inline int wv_dev(const struct net_device *dev, const struct sk_buff *skb, __u32 event, int rc,
				  int queue, __u8 source)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_dev *rec;
	struct wv_proc p = {};

	if (!cfg || !wv_event_on(cfg, event))
		return 0;
	if (!wv_wanted(cfg, event, &p, NULL, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_DEV, sizeof(*rec), source, NULL, 0);
	WV_ZERO_BODY(rec);
	if (!dev && skb)
		dev = BPF_CORE_READ(skb, dev);
	if (dev) {
		rec->ifindex = BPF_CORE_READ(dev, ifindex);
		BPF_CORE_READ_STR_INTO(&rec->ifname, dev, name);
	}
	if (skb) {
		rec->pkt_len_bytes = BPF_CORE_READ(skb, len);
		rec->l3_proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	}
	rec->rc = rc;
	rec->queue = queue;
	wv_submit(rec);
	return 0;
}

#define WV_BOTH(tp, args, call_btf, call_raw)						\
	SEC("tp_btf/" #tp) int BPF_PROG(btf_##tp, args) { return call_btf; }		\
	SEC("raw_tp/" #tp) int BPF_PROG(raw_##tp, args) { return call_raw; }
#define WV_ARGS(...) __VA_ARGS__

WV_BOTH(net_dev_xmit, WV_ARGS(struct sk_buff *skb, int rc, struct net_device *dev),
	wv_dev(dev, skb, WV_EV_DEV_XMIT, rc, 0, WV_SRC_BTF_NET_DEV_XMIT),
	wv_dev(dev, skb, WV_EV_DEV_XMIT, rc, 0, WV_SRC_RAW_NET_DEV_XMIT))
WV_BOTH(netif_receive_skb, WV_ARGS(struct sk_buff *skb),
	wv_dev(NULL, skb, WV_EV_DEV_RECV, 0, 0, WV_SRC_BTF_NETIF_RECEIVE_SKB),
	wv_dev(NULL, skb, WV_EV_DEV_RECV, 0, 0, WV_SRC_RAW_NETIF_RECEIVE_SKB))
WV_BOTH(net_dev_xmit_timeout, WV_ARGS(struct net_device *dev, int queue),
	wv_dev(dev, NULL, WV_EV_DEV_XMIT_TIMEOUT, 0, queue, WV_SRC_BTF_NET_DEV_XMIT_TIMEOUT),
	wv_dev(dev, NULL, WV_EV_DEV_XMIT_TIMEOUT, 0, queue, WV_SRC_RAW_NET_DEV_XMIT_TIMEOUT))

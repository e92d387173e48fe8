// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * qdisc.bpf.c - queueing disciplines: qdisc.create (qdisc:qdisc_create, also
 * for the default qdisc a device gets when it comes up) and qdisc.destroy
 * (qdisc:qdisc_destroy). Charged to the task on the CPU (tc, ip, a kworker).
 */
#include "emit.bpf.h"

static __always_inline int wv_qdisc(const struct net_device *dev, const struct Qdisc_ops *ops, __u32 handle, __u32 parent,
				    __u32 event, __u8 source)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_qdisc *rec;
	struct wv_proc p = {};

	if (!cfg || !wv_event_on(cfg, event))
		return 0;
	wv_proc_current(&p, false);
	if (!wv_wanted(cfg, event, &p, NULL, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_QDISC, sizeof(*rec), source, &p, 0);
	WV_ZERO_BODY(rec);
	rec->handle = handle;
	rec->parent = parent;
	if (dev) {
		rec->ifindex = BPF_CORE_READ(dev, ifindex);
		BPF_CORE_READ_STR_INTO(&rec->ifname, dev, name);
	}
	if (ops)
		BPF_CORE_READ_STR_INTO(&rec->qdisc_kind, ops, id);
	wv_submit(rec);
	return 0;
}

static __always_inline int wv_qdisc_destroy(const struct Qdisc *q, __u8 source)
{
	struct netdev_queue *queue = BPF_CORE_READ(q, dev_queue);

	return wv_qdisc(queue ? BPF_CORE_READ(queue, dev) : NULL, BPF_CORE_READ(q, ops), BPF_CORE_READ(q, handle),
			BPF_CORE_READ(q, parent), WV_EV_QDISC_DESTROY, source);
}

#define WV_BOTH(tp, args, call_btf, call_raw)						\
	SEC("tp_btf/" #tp) int BPF_PROG(btf_##tp, args) { return call_btf; }		\
	SEC("raw_tp/" #tp) int BPF_PROG(raw_##tp, args) { return call_raw; }
#define WV_ARGS(...) __VA_ARGS__

/* the tracepoint passes no qdisc, so its handle is unknown here (0) */
WV_BOTH(qdisc_create, WV_ARGS(const struct Qdisc_ops *ops, struct net_device *dev, __u32 parent),
	wv_qdisc(dev, ops, 0, parent, WV_EV_QDISC_CREATE, WV_SRC_BTF_QDISC_CREATE),
	wv_qdisc(dev, ops, 0, parent, WV_EV_QDISC_CREATE, WV_SRC_RAW_QDISC_CREATE))
WV_BOTH(qdisc_destroy, WV_ARGS(struct Qdisc *q),
	wv_qdisc_destroy(q, WV_SRC_BTF_QDISC_DESTROY),
	wv_qdisc_destroy(q, WV_SRC_RAW_QDISC_DESTROY))

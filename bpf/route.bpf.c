// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * route.bpf.c - routing table lookups: route.lookup for each one
 * (fib:fib_table_lookup, fib6:fib6_table_lookup) and route.unreachable for one
 * that fails. IPv4 looks tables up one by one: a miss (-EAGAIN) in a policy
 * table only means "try the next", so it stays a route.lookup with that
 * result; a miss in the main table (the last one on a host without custom
 * rules) is the caller's ENETUNREACH. IPv6 reports the final result, where a
 * miss is the table's null entry.
 * Output lookups (iif = loopback) run in the task that sends; input lookups
 * in softirq, which has no process.
 */
#include "emit.bpf.h"

#define EAGAIN_ 11
#define ENETUNREACH 101
#define RT_TABLE_MAIN 254
#define LOOPBACK_IFINDEX 1

/* Everything but the addresses, which the callers fill from their flow. */
struct wv_route_result {
	__u32 table;
	__u32 ifindex;
	__s32 err;
	__u8 route_type;
	__u8 prefix_len;
	__u8 gateway[16];
};

static __always_inline int wv_route(struct wv_tuple *t, const struct wv_route_result *r, int iif, __u8 source)
{
	struct wv_config *cfg = wv_cfg();
	__u32 event = r->err && r->err != -EAGAIN_ ? WV_EV_ROUTE_UNREACHABLE : WV_EV_ROUTE_LOOKUP;
	struct wv_rec_route *rec;
	struct wv_proc p = {};

	if (!cfg || !wv_event_on(cfg, event))
		return 0;
	if (iif == LOOPBACK_IFINDEX)
		wv_proc_current(&p, false);
	if (!wv_wanted(cfg, event, &p, t, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_ROUTE, sizeof(*rec), source, &p, 0);
	WV_ZERO_BODY(rec);
	__builtin_memcpy(rec->daddr, t->daddr, sizeof(rec->daddr));
	__builtin_memcpy(rec->saddr, t->saddr, sizeof(rec->saddr));
	__builtin_memcpy(rec->gateway, r->gateway, sizeof(rec->gateway));
	rec->table = r->table;
	rec->ifindex = r->ifindex;
	rec->err = r->err;
	rec->family = t->family;
	rec->prefix_len = r->prefix_len;
	rec->route_type = r->route_type;
	wv_submit(rec);
	return 0;
}

static __always_inline int wv_fib4(__u32 table, const struct flowi4 *flp, const struct fib_nh_common *nhc, int err,
				   __u8 source)
{
	struct wv_route_result r = {.table = table, .err = err};
	struct wv_tuple t = {.family = AF_INET};
	struct net_device *dev;

	if (err == -EAGAIN_ && table == RT_TABLE_MAIN)
		r.err = -ENETUNREACH;
	BPF_CORE_READ_INTO((__u32 *)t.daddr, flp, daddr);
	BPF_CORE_READ_INTO((__u32 *)t.saddr, flp, saddr);
	if (nhc) {
		dev = BPF_CORE_READ(nhc, nhc_dev);
		r.ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
		/* a gateway of the other family cannot be shown in this record's family */
		if (BPF_CORE_READ(nhc, nhc_gw_family) == AF_INET)
			BPF_CORE_READ_INTO((__u32 *)r.gateway, nhc, nhc_gw.ipv4);
	}
	return wv_route(&t, &r, BPF_CORE_READ(flp, __fl_common.flowic_iif), source);
}

/* ip6_rt_type_to_error(): what a lookup that ends on a route of this RTN_* type returns */
static __always_inline int wv_rt6_type_error(__u8 type)
{
	switch (type) {
	case 7: /* RTN_UNREACHABLE */
		return -113; /* EHOSTUNREACH */
	case 8: /* RTN_PROHIBIT */
		return -13; /* EACCES */
	case 9: /* RTN_THROW */
		return -EAGAIN_;
	case 6: /* RTN_BLACKHOLE */
	case 10: /* RTN_NAT */
	case 11: /* RTN_XRESOLVE */
		return -22; /* EINVAL */
	}
	return 0;
}

static __always_inline int wv_fib6(const struct net *net, const struct fib6_result *res, const struct fib6_table *table,
				   const struct flowi6 *flp, __u8 source)
{
	struct wv_route_result r = {};
	struct wv_tuple t = {.family = AF_INET6};
	struct fib6_info *f6i = BPF_CORE_READ(res, f6i);
	struct fib6_nh *nh = BPF_CORE_READ(res, nh);
	__u8 type = BPF_CORE_READ(res, fib6_type);

	BPF_CORE_READ_INTO((struct in6_addr *)t.daddr, flp, daddr);
	BPF_CORE_READ_INTO((struct in6_addr *)t.saddr, flp, saddr);
	r.table = table ? BPF_CORE_READ(table, tb6_id) : 0;
	r.route_type = type;
	r.err = wv_rt6_type_error(type);
	if (f6i && f6i == BPF_CORE_READ(net, ipv6.fib6_null_entry)) {
		r.err = -ENETUNREACH;
	} else if (f6i) {
		r.prefix_len = BPF_CORE_READ(f6i, fib6_dst.plen);
	}
	if (nh && !r.err) {
		struct net_device *dev = BPF_CORE_READ(nh, nh_common.nhc_dev);

		r.ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
		if (BPF_CORE_READ(nh, nh_common.nhc_gw_family) == AF_INET6)
			BPF_CORE_READ_INTO((struct in6_addr *)r.gateway, nh, nh_common.nhc_gw.ipv6);
	}
	return wv_route(&t, &r, BPF_CORE_READ(flp, __fl_common.flowic_iif), source);
}

#define WV_BOTH(tp, args, call_btf, call_raw)						\
	SEC("tp_btf/" #tp) int BPF_PROG(btf_##tp, args) { return call_btf; }		\
	SEC("raw_tp/" #tp) int BPF_PROG(raw_##tp, args) { return call_raw; }
#define WV_ARGS(...) __VA_ARGS__

WV_BOTH(fib_table_lookup, WV_ARGS(__u32 tb_id, const struct flowi4 *flp, const struct fib_nh_common *nhc, int err),
	wv_fib4(tb_id, flp, nhc, err, WV_SRC_BTF_FIB_TABLE_LOOKUP),
	wv_fib4(tb_id, flp, nhc, err, WV_SRC_RAW_FIB_TABLE_LOOKUP))
WV_BOTH(fib6_table_lookup, WV_ARGS(const struct net *net, const struct fib6_result *res, struct fib6_table *table,
				   const struct flowi6 *flp),
	wv_fib6(net, res, table, flp, WV_SRC_BTF_FIB6_TABLE_LOOKUP),
	wv_fib6(net, res, table, flp, WV_SRC_RAW_FIB6_TABLE_LOOKUP))

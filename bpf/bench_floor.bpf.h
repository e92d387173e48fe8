/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * bench_floor.bpf.h - the floors of test/bench/capture-floors.ts: the same
 * object, built with -DWV_BENCH_FLOOR=1 or 2, whose busy handlers (send/recv,
 * the send/recv syscalls, packets, drops, socket memory) do less than the
 * capture needs, to measure what the hooks alone cost and what recording costs:
 *   1  each returns at once: the price of being attached (dispatch, no record);
 *   2  each reserves and submits a bare header with its time, nothing else:
 *      dispatch, a clock read and the ring, without attribution, tuples or
 *      headers (the syscall entries and exits, which make no record, return).
 * The shipped object is built with neither: both macros are then empty.
 */
#ifndef WIREVIEW_BENCH_FLOOR_BPF_H
#define WIREVIEW_BENCH_FLOOR_BPF_H

#ifndef WV_BENCH_FLOOR
#define WV_BENCH_FLOOR 0
#endif

#if WV_BENCH_FLOOR == 2
static __always_inline void wv_floor_record(__u16 event)
{
	struct wv_hdr *h = wv_reserve(sizeof(*h));

	if (!h)
		return;
	__builtin_memset(h, 0, sizeof(*h));
	h->ts_ns = bpf_ktime_get_boot_ns();
	h->event = event;
	h->size_bytes = sizeof(*h);
	bpf_ringbuf_submit(h, BPF_RB_NO_WAKEUP);
}
#define WV_FLOOR_RETURN(ret, event)	\
	do {				\
		wv_floor_record(event);	\
		return (ret);		\
	} while (0)
#define WV_FLOOR_SKIP(ret) return (ret)
#elif WV_BENCH_FLOOR == 1
#define WV_FLOOR_RETURN(ret, event) return (ret)
#define WV_FLOOR_SKIP(ret) return (ret)
#else
#define WV_FLOOR_RETURN(ret, event) do { } while (0)
#define WV_FLOOR_SKIP(ret) do { } while (0)
#endif

#endif /* WIREVIEW_BENCH_FLOOR_BPF_H */

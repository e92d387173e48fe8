// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * sock_mem.bpf.c - a socket that could not take a buffer: udp.rcvbuf_full
 * (udp:udp_fail_queue_rcv_skb), sock.rcvqueue_full, sock.mem_limit
 * (sock:sock_exceed_buf_limit); and icmp.error_sent (icmp:icmp_send), the
 * stack's answer to a packet it could not deliver.
 */
#include "skb.bpf.h"

/* `btf`: `sk` and `skb` are typed kernel pointers (tp_btf), read with plain loads */
static __always_inline int wv_sock_mem(const struct sock *sk, const struct sk_buff *skb, __u32 event,
				       __u64 allocated, __u32 limit, __u8 source, bool btf)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_sock_mem *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	__u64 cookie;

	WV_FLOOR_RETURN(0, event);
	if (!cfg || !sk || !wv_event_on(cfg, event))
		return 0;
	cookie = btf ? wv_cookie_load(sk) : wv_cookie_read(sk);
	if (btf)
		wv_tuple_of_sock_btf(&t, sk, false);
	else
		wv_tuple_of_sock(&t, sk, false);
	wv_proc_of_sock(&p, cookie, false);
	if (!wv_wanted(cfg, event, &p, &t, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_SOCK_MEM, sizeof(*rec), source, &p, cookie);
	rec->tuple = t;
	rec->allocated_bytes = allocated ? allocated : WV_FIELD(btf, sk, sk_backlog.rmem_alloc.counter);
	rec->skb_bytes = skb ? WV_FIELD(btf, skb, truesize) : 0;
	rec->limit_bytes = limit ? limit : WV_FIELD(btf, sk, sk_rcvbuf);
	wv_submit(rec);
	return 0;
}

static __always_inline int wv_icmp_send(const struct sk_buff *skb, int type, int code, __u8 source, bool btf)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_icmp_send *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	__u64 cookie;

	if (!cfg || !wv_event_on(cfg, WV_EV_ICMP_ERROR_SENT))
		return 0;
	wv_tuple_of_skb(&t, skb, false, btf);
	cookie = wv_proc_of_skb(&p, skb, btf);
	if (!wv_wanted(cfg, WV_EV_ICMP_ERROR_SENT, &p, &t, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, WV_EV_ICMP_ERROR_SENT, WV_REC_ICMP_SEND, sizeof(*rec), source, &p, cookie);
	WV_ZERO_BODY(rec);
	rec->tuple = t;
	rec->icmp_type = type;
	rec->icmp_code = code;
	if (t.proto == IPPROTO_UDP) {
		unsigned char *head = BPF_CORE_READ(skb, head);
		__u16 th = BPF_CORE_READ(skb, transport_header);
		__u16 len = 0;

		bpf_probe_read_kernel(&len, sizeof(len), head + th + 4);
		rec->udp_len = bpf_ntohs(len);
	}
	wv_submit(rec);
	return 0;
}

#define WV_BOTH(tp, args, call_btf, call_raw)						\
	SEC("tp_btf/" #tp) int BPF_PROG(btf_##tp, args) { return call_btf; }		\
	SEC("raw_tp/" #tp) int BPF_PROG(raw_##tp, args) { return call_raw; }
#define WV_ARGS(...) __VA_ARGS__

WV_BOTH(udp_fail_queue_rcv_skb, WV_ARGS(int rc, struct sock *sk),
	wv_sock_mem(sk, NULL, WV_EV_UDP_RCVBUF_FULL, 0, 0, WV_SRC_BTF_UDP_FAIL_QUEUE_RCV_SKB, true),
	wv_sock_mem(sk, NULL, WV_EV_UDP_RCVBUF_FULL, 0, 0, WV_SRC_RAW_UDP_FAIL_QUEUE_RCV_SKB, false))
WV_BOTH(sock_rcvqueue_full, WV_ARGS(struct sock *sk, struct sk_buff *skb),
	wv_sock_mem(sk, skb, WV_EV_SOCK_RCVQUEUE_FULL, 0, 0, WV_SRC_BTF_SOCK_RCVQUEUE_FULL, true),
	wv_sock_mem(sk, skb, WV_EV_SOCK_RCVQUEUE_FULL, 0, 0, WV_SRC_RAW_SOCK_RCVQUEUE_FULL, false))
WV_BOTH(sock_exceed_buf_limit, WV_ARGS(struct sock *sk, struct proto *prot, long allocated),
	wv_sock_mem(sk, NULL, WV_EV_SOCK_MEM_LIMIT, allocated, 0, WV_SRC_BTF_SOCK_EXCEED_BUF_LIMIT, true),
	wv_sock_mem(sk, NULL, WV_EV_SOCK_MEM_LIMIT, allocated, 0, WV_SRC_RAW_SOCK_EXCEED_BUF_LIMIT, false))
WV_BOTH(icmp_send, WV_ARGS(const struct sk_buff *skb, int type, int code),
	wv_icmp_send(skb, type, code, WV_SRC_BTF_ICMP_SEND, true),
	wv_icmp_send(skb, type, code, WV_SRC_RAW_ICMP_SEND, false))

// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * tcp_events.bpf.c - the tcp tracepoints: tcp.retransmit (and tcp.reconnect
 * for a SYN retransmitted in SYN_SENT), tcp.retransmit_synack,
 * tcp.reset_sent, tcp.reset_received, tcp.bad_csum, tcp.probe (sampled) and
 * tcp.cong_state. All typically run in softirq or timers: charged to the
 * socket's owner when wv_owners knows it.
 */
#include "skb.bpf.h"

/* tcp.probe sampling: samples seen on this CPU */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} wv_probe_seen SEC(".maps");

static __always_inline int wv_tcp_event(const struct sock *sk, const struct sk_buff *skb, __u32 event, __u64 cookie,
					__u8 source)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_tcp_event *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	__u8 state = 0;

	if (!cfg || !wv_event_on(cfg, event))
		return 0;
	if (sk) {
		wv_tuple_of_sock(&t, sk, false);
		t.proto = IPPROTO_TCP;
		state = BPF_CORE_READ(sk, __sk_common.skc_state);
		wv_proc_of_sock(&p, cookie, false);
	} else if (skb) {
		/* a reset answering a packet no socket wanted: our side is the packet's destination */
		wv_tuple_of_skb(&t, skb, true, false);
		wv_proc_of_sock(&p, 0, false);
	}
	if (!wv_wanted(cfg, event, &p, &t, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, event, WV_REC_TCP_EVENT, sizeof(*rec), source, &p, cookie);
	WV_ZERO_BODY(rec);
	rec->tuple = t;
	rec->state = state;
	wv_submit(rec);
	return 0;
}

static __always_inline int wv_retransmit(const struct sock *sk, __u64 cookie, __u8 source)
{
	wv_tcp_event(sk, NULL, WV_EV_TCP_RETRANSMIT, cookie, source);
	if (BPF_CORE_READ(sk, __sk_common.skc_state) == TCP_SYN_SENT)
		wv_tcp_event(sk, NULL, WV_EV_TCP_RECONNECT, cookie, source);
	return 0;
}

static __always_inline int wv_probe(struct sock *sk, const struct sk_buff *skb, __u64 cookie, __u8 source)
{
	struct wv_config *cfg = wv_cfg();
	struct tcp_sock *tp = (struct tcp_sock *)sk;
	struct wv_rec_tcp_probe *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};
	__u32 zero = 0;
	__u64 *seen;

	if (!cfg || !wv_event_on(cfg, WV_EV_TCP_PROBE))
		return 0;
	seen = bpf_map_lookup_elem(&wv_probe_seen, &zero);
	if (seen && cfg->probe_every > 1 && (*seen)++ % cfg->probe_every)
		return 0;
	wv_tuple_of_sock(&t, sk, false);
	wv_proc_of_sock(&p, cookie, false);
	if (!wv_wanted(cfg, WV_EV_TCP_PROBE, &p, &t, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, WV_EV_TCP_PROBE, WV_REC_TCP_PROBE, sizeof(*rec), source, &p, cookie);
	rec->tuple = t;
	rec->snd_cwnd = BPF_CORE_READ(tp, snd_cwnd);
	rec->ssthresh = BPF_CORE_READ(tp, snd_ssthresh);
	rec->snd_wnd_bytes = BPF_CORE_READ(tp, snd_wnd);
	rec->rcv_wnd_bytes = BPF_CORE_READ(tp, rcv_wnd);
	rec->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3;
	rec->snd_nxt = BPF_CORE_READ(tp, snd_nxt);
	rec->snd_una = BPF_CORE_READ(tp, snd_una);
	rec->data_len_bytes = skb ? BPF_CORE_READ(skb, len) : 0;
	wv_submit(rec);
	return 0;
}

static __always_inline int wv_cong(const struct sock *sk, __u8 ca_state, __u64 cookie, __u8 source)
{
	struct wv_config *cfg = wv_cfg();
	struct wv_rec_tcp_cong *rec;
	struct wv_tuple t = {};
	struct wv_proc p = {};

	if (!cfg || !wv_event_on(cfg, WV_EV_TCP_CONG_STATE))
		return 0;
	wv_tuple_of_sock(&t, sk, false);
	wv_proc_of_sock(&p, cookie, false);
	if (!wv_wanted(cfg, WV_EV_TCP_CONG_STATE, &p, &t, WV_DIR_NONE))
		return 0;
	rec = wv_reserve(sizeof(*rec));
	if (!rec)
		return 0;
	wv_fill_hdr(&rec->hdr, WV_EV_TCP_CONG_STATE, WV_REC_TCP_CONG, sizeof(*rec), source, &p, cookie);
	WV_ZERO_BODY(rec);
	rec->tuple = t;
	rec->cong_state = ca_state;
	wv_submit(rec);
	return 0;
}

/* Each tracepoint twice: typed (tp_btf, which may ask for the socket cookie) and raw. */
#define WV_BOTH(tp, args, call_btf, call_raw)						\
	SEC("tp_btf/" #tp) int BPF_PROG(btf_##tp, args) { return call_btf; }		\
	SEC("raw_tp/" #tp) int BPF_PROG(raw_##tp, args) { return call_raw; }
#define WV_ARGS(...) __VA_ARGS__

WV_BOTH(tcp_retransmit_skb, WV_ARGS(const struct sock *sk),
	wv_retransmit(sk, bpf_get_socket_cookie((void *)sk), WV_SRC_BTF_TCP_RETRANSMIT_SKB),
	wv_retransmit(sk, wv_cookie_read(sk), WV_SRC_RAW_TCP_RETRANSMIT_SKB))
WV_BOTH(tcp_retransmit_synack, WV_ARGS(const struct sock *sk, const struct request_sock *req),
	wv_tcp_event((const struct sock *)req, NULL, WV_EV_TCP_RETRANSMIT_SYNACK, wv_cookie_read(sk),
		     WV_SRC_BTF_TCP_RETRANSMIT_SYNACK),
	wv_tcp_event((const struct sock *)req, NULL, WV_EV_TCP_RETRANSMIT_SYNACK, wv_cookie_read(sk),
		     WV_SRC_RAW_TCP_RETRANSMIT_SYNACK))
WV_BOTH(tcp_send_reset, WV_ARGS(const struct sock *sk, const struct sk_buff *skb),
	wv_tcp_event(sk, skb, WV_EV_TCP_RESET_SENT, wv_cookie_read(sk), WV_SRC_BTF_TCP_SEND_RESET),
	wv_tcp_event(sk, skb, WV_EV_TCP_RESET_SENT, wv_cookie_read(sk), WV_SRC_RAW_TCP_SEND_RESET))
WV_BOTH(tcp_receive_reset, WV_ARGS(struct sock *sk),
	wv_tcp_event(sk, NULL, WV_EV_TCP_RESET_RECEIVED, bpf_get_socket_cookie(sk), WV_SRC_BTF_TCP_RECEIVE_RESET),
	wv_tcp_event(sk, NULL, WV_EV_TCP_RESET_RECEIVED, wv_cookie_read(sk), WV_SRC_RAW_TCP_RECEIVE_RESET))
WV_BOTH(tcp_bad_csum, WV_ARGS(const struct sk_buff *skb),
	wv_tcp_event(NULL, skb, WV_EV_TCP_BAD_CSUM, 0, WV_SRC_BTF_TCP_BAD_CSUM),
	wv_tcp_event(NULL, skb, WV_EV_TCP_BAD_CSUM, 0, WV_SRC_RAW_TCP_BAD_CSUM))
WV_BOTH(tcp_probe, WV_ARGS(struct sock *sk, const struct sk_buff *skb),
	wv_probe(sk, skb, bpf_get_socket_cookie(sk), WV_SRC_BTF_TCP_PROBE),
	wv_probe(sk, skb, wv_cookie_read(sk), WV_SRC_RAW_TCP_PROBE))
WV_BOTH(tcp_cong_state_set, WV_ARGS(struct sock *sk, __u8 ca_state),
	wv_cong(sk, ca_state, bpf_get_socket_cookie(sk), WV_SRC_BTF_TCP_CONG_STATE_SET),
	wv_cong(sk, ca_state, wv_cookie_read(sk), WV_SRC_RAW_TCP_CONG_STATE_SET))

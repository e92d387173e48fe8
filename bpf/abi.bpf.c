// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * abi.bpf.c - puts every record type of records.h into the BTF of a BPF
 * object, which build/gen-layout.mjs turns into the TypeScript layout.
 * It holds no programs: one global of each type is enough for clang to
 * emit the type information.
 */
#include "records.h"

struct wv_frame_hdr wv_abi_frame_hdr;
struct wv_hdr wv_abi_hdr;
struct wv_tuple wv_abi_tuple;
struct wv_rec_sock_call wv_abi_sock_call;
struct wv_rec_packet wv_abi_packet;
struct wv_rec_tcp_state wv_abi_tcp_state;
struct wv_rec_tcp_event wv_abi_tcp_event;
struct wv_rec_tcp_cong wv_abi_tcp_cong;
struct wv_rec_tcp_probe wv_abi_tcp_probe;
struct wv_rec_drop wv_abi_drop;
struct wv_rec_sock_mem wv_abi_sock_mem;
struct wv_rec_dev wv_abi_dev;
struct wv_rec_icmp_send wv_abi_icmp_send;
struct wv_rec_neigh wv_abi_neigh;
struct wv_rec_route wv_abi_route;
struct wv_rec_link wv_abi_link;
struct wv_rec_addr wv_abi_addr;
struct wv_rec_qdisc wv_abi_qdisc;
struct wv_rec_lost wv_abi_lost;
struct wv_rec_packet_short wv_abi_packet_short;

enum wv_abi wv_abi_abi;
enum wv_event wv_abi_event;
enum wv_record_kind wv_abi_record_kind;
enum wv_hdr_flag wv_abi_hdr_flag;
enum wv_direction wv_abi_direction;
enum wv_has wv_abi_has;
enum wv_route_change wv_abi_route_change;

char LICENSE[] __attribute__((section("license"), used)) = "Dual MIT/GPL";

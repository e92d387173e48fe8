// The table of sources. Program names match bpf/*.bpf.c; labels match the WV_SOURCES names of
// bpf/config.h that the records carry.
#include "plan.h"

#include <algorithm>

extern "C" {
#include "records.h"
}

namespace wv {
namespace {

Tier TpBtf(const std::string& cat, const std::string& tp) {
  return {ProbeKind::TpBtf, "tp_btf:" + cat + ":" + tp, {"btf_" + tp}, {cat + ":" + tp}};
}
Tier RawTp(const std::string& cat, const std::string& tp) {
  return {ProbeKind::RawTp, "raw_tp:" + cat + ":" + tp, {"raw_" + tp}, {cat + ":" + tp}};
}
Group Tracepoint(const std::string& cat, const std::string& tp) { return {cat + ":" + tp, {TpBtf(cat, tp), RawTp(cat, tp)}}; }

// sys_enter_X/sys_exit_X pairs of the syscalls tracepoints; the calls in `enter_only` have no exit
// program (the sends of sock_io.bpf.c: their state names the syscall it belongs to)
Group Syscalls(const std::string& name, const std::vector<std::string>& calls, const std::vector<std::string>& enter_only = {}) {
  Tier t{ProbeKind::Tracepoint, "tp:syscalls:", {}, {}};
  for (const auto& c : calls) {
    for (const char* side : {"sys_enter_", "sys_exit_"}) {
      if (std::string(side) == "sys_exit_" && std::find(enter_only.begin(), enter_only.end(), c) != enter_only.end()) continue;
      t.programs.push_back(side + c);
      t.targets.push_back("syscalls:" + std::string(side) + c);
    }
  }
  t.label += "sys_exit_" + calls.front();
  return {name, {t}};
}

Group SockIo(bool send) {
  const std::string verb = send ? "sendmsg" : "recvmsg";
  const std::string tp = send ? "sock_send_length" : "sock_recv_length";
  // IPv6 UDP has its own udpv6_sendmsg/udpv6_recvmsg (IPv6 TCP shares tcp_*): a kernel without
  // IPv6 built in (ipv6.ko) lacks them in vmlinux, and the tier falls back to the tracepoints
  Tier fexit{ProbeKind::Fexit, "fexit:tcp_" + verb,
             {"fentry_tcp_" + verb, "fexit_tcp_" + verb, "fentry_udp_" + verb, "fexit_udp_" + verb,
              "fentry_udpv6_" + verb, "fexit_udpv6_" + verb},
             {"tcp_" + verb, "udp_" + verb, "udpv6_" + verb}};
  Tier kprobe{ProbeKind::Kprobe, "kretprobe:tcp_" + verb,
              {"kprobe_tcp_" + verb, "kretprobe_tcp_" + verb, "kprobe_udp_" + verb, "kretprobe_udp_" + verb,
               "kprobe_udpv6_" + verb, "kretprobe_udpv6_" + verb},
              {"tcp_" + verb, "udp_" + verb, "udpv6_" + verb}};
  return {send ? "send" : "recv", {fexit, kprobe, TpBtf("sock", tp), RawTp("sock", tp)}};
}

enum G {
  SEND, RECV, IO_SYSCALLS, CONNECT, ACCEPT, BIND, LISTEN, SHUTDOWN, STATE, PACKETS, RETRANSMIT, RETRANSMIT_SYNACK,
  SEND_RESET, RECEIVE_RESET, BAD_CSUM, PROBE, CONG, KFREE_SKB, UDP_FAIL, RCVQUEUE_FULL, EXCEED_BUF, ICMP_SEND,
  DEV_XMIT, NETIF_RECEIVE, XMIT_TIMEOUT, OWNERS, NEIGH_CREATE, NEIGH_UPDATE_DONE, NEIGH_TIMER, NEIGH_RELEASE,
  FIB_LOOKUP, FIB6_LOOKUP, QDISC_CREATE, QDISC_DESTROY, RTNETLINK,
};

std::vector<Group> BuildGroups() {
  return {
      SockIo(true),
      SockIo(false),
      Syscalls("io syscalls", {"sendto", "recvfrom", "sendmsg", "recvmsg"}, {"sendto", "sendmsg"}),
      Syscalls("connect", {"connect"}),
      Syscalls("accept", {"accept", "accept4"}),
      Syscalls("bind", {"bind"}),
      Syscalls("listen", {"listen"}),
      {"shutdown", {{ProbeKind::Tracepoint, "tp:syscalls:sys_enter_shutdown", {"sys_enter_shutdown"}, {"syscalls:sys_enter_shutdown"}}}},
      Tracepoint("sock", "inet_sock_set_state"),
      {"packets", {{ProbeKind::CgroupSkb, "cgroup_skb", {"cgroup_skb_ingress", "cgroup_skb_egress"}, {}}}},
      Tracepoint("tcp", "tcp_retransmit_skb"),
      Tracepoint("tcp", "tcp_retransmit_synack"),
      Tracepoint("tcp", "tcp_send_reset"),
      Tracepoint("tcp", "tcp_receive_reset"),
      Tracepoint("tcp", "tcp_bad_csum"),
      Tracepoint("tcp", "tcp_probe"),
      Tracepoint("tcp", "tcp_cong_state_set"),
      Tracepoint("skb", "kfree_skb"),
      Tracepoint("udp", "udp_fail_queue_rcv_skb"),
      Tracepoint("sock", "sock_rcvqueue_full"),
      Tracepoint("sock", "sock_exceed_buf_limit"),
      Tracepoint("icmp", "icmp_send"),
      Tracepoint("net", "net_dev_xmit"),
      Tracepoint("net", "netif_receive_skb"),
      Tracepoint("net", "net_dev_xmit_timeout"),
      {"owners", {{ProbeKind::CgroupSock, "cgroup/sock_create", {"cgroup_sock_create"}, {}}}},
      Tracepoint("neigh", "neigh_create"),
      Tracepoint("neigh", "neigh_update_done"),
      Tracepoint("neigh", "neigh_timer_handler"),
      Tracepoint("neigh", "neigh_cleanup_and_release"),
      Tracepoint("fib", "fib_table_lookup"),
      Tracepoint("fib6", "fib6_table_lookup"),
      Tracepoint("qdisc", "qdisc_create"),
      Tracepoint("qdisc", "qdisc_destroy"),
      {"rtnetlink", {{ProbeKind::Netlink, "rtnetlink", {}, {}}}},
  };
}

// Sockets learn their owner in these calls: attached with any event that needs the process of a
// socket seen outside its owner's calls (packets, softirq tracepoints).
const std::vector<int> kOwnerLearning = {OWNERS, STATE, SEND, RECV, CONNECT, ACCEPT};

std::vector<EventSources> BuildEvents() {
  const std::string derived = "derived in user space from packets and state changes";
  auto ev = [](uint16_t wire, const char* id, std::vector<int> groups, std::vector<int> helpers = {}) {
    return EventSources{wire, id, std::move(groups), std::move(helpers), ""};
  };
  auto none = [](uint16_t wire, const char* id, const std::string& why) { return EventSources{wire, id, {}, {}, why}; };
  const auto& own = kOwnerLearning;
  return {
      ev(WV_EV_SOCK_SEND, "sock.send", {SEND}, {IO_SYSCALLS, OWNERS}),
      ev(WV_EV_SOCK_RECV, "sock.recv", {RECV}, {IO_SYSCALLS, OWNERS}),
      ev(WV_EV_SOCK_SEND_ERROR, "sock.send_error", {SEND}, {IO_SYSCALLS}),
      ev(WV_EV_SOCK_RECV_ERROR, "sock.recv_error", {RECV}, {IO_SYSCALLS}),
      ev(WV_EV_TCP_RETRANSMIT, "tcp.retransmit", {RETRANSMIT}, own),
      ev(WV_EV_TCP_RETRANSMIT_SYNACK, "tcp.retransmit_synack", {RETRANSMIT_SYNACK}, own),
      ev(WV_EV_TCP_RECONNECT, "tcp.reconnect", {RETRANSMIT}, own),
      ev(WV_EV_TCP_RESET_SENT, "tcp.reset_sent", {SEND_RESET}, own),
      ev(WV_EV_TCP_RESET_RECEIVED, "tcp.reset_received", {RECEIVE_RESET}, own),
      ev(WV_EV_TCP_BAD_CSUM, "tcp.bad_csum", {BAD_CSUM}, own),
      ev(WV_EV_TCP_PROBE, "tcp.probe", {PROBE}, own),
      ev(WV_EV_PKT_TCP, "pkt.tcp", {PACKETS}, own),
      ev(WV_EV_PKT_UDP, "pkt.udp", {PACKETS}, own),
      ev(WV_EV_PKT_ICMP, "pkt.icmp", {PACKETS}, own),
      ev(WV_EV_PKT_IP, "pkt.ip", {PACKETS}, own),
      ev(WV_EV_DNS_QUERY, "dns.query", {PACKETS}, own),
      ev(WV_EV_DNS_ANSWER, "dns.answer", {PACKETS}, own),
      ev(WV_EV_DROP_NOMEM, "drop.nomem", {KFREE_SKB}, own),
      ev(WV_EV_DROP_CHECKSUM, "drop.checksum", {KFREE_SKB}, own),
      ev(WV_EV_DROP_MALFORMED, "drop.malformed", {KFREE_SKB}, own),
      ev(WV_EV_DROP_NO_ROUTE, "drop.no_route", {KFREE_SKB}, own),
      ev(WV_EV_DROP_DEVICE, "drop.device", {KFREE_SKB}, own),
      ev(WV_EV_DROP_NO_SOCKET, "drop.no_socket", {KFREE_SKB}, own),
      ev(WV_EV_DROP_QUEUE_FULL, "drop.queue_full", {KFREE_SKB}, own),
      ev(WV_EV_DROP_FILTER, "drop.filter", {KFREE_SKB}, own),
      ev(WV_EV_DROP_TCP, "drop.tcp", {KFREE_SKB}, own),
      ev(WV_EV_DROP_OTHER, "drop.other", {KFREE_SKB}, own),
      ev(WV_EV_UDP_RCVBUF_FULL, "udp.rcvbuf_full", {UDP_FAIL}, own),
      ev(WV_EV_SOCK_RCVQUEUE_FULL, "sock.rcvqueue_full", {RCVQUEUE_FULL}, own),
      ev(WV_EV_SOCK_MEM_LIMIT, "sock.mem_limit", {EXCEED_BUF}, own),
      ev(WV_EV_DEV_XMIT, "dev.xmit", {DEV_XMIT}),
      ev(WV_EV_DEV_RECV, "dev.recv", {NETIF_RECEIVE}),
      ev(WV_EV_DEV_XMIT_TIMEOUT, "dev.xmit_timeout", {XMIT_TIMEOUT}),
      ev(WV_EV_SOCK_CONNECT, "sock.connect", {CONNECT}, own),
      ev(WV_EV_SOCK_CONNECT_ERROR, "sock.connect_error", {CONNECT, STATE}, own),
      ev(WV_EV_SOCK_ACCEPT, "sock.accept", {ACCEPT}, own),
      ev(WV_EV_SOCK_DISCONNECT, "sock.disconnect", {STATE}, own),
      ev(WV_EV_SOCK_BIND, "sock.bind", {BIND}),
      ev(WV_EV_SOCK_BIND_ERROR, "sock.bind_error", {BIND}),
      ev(WV_EV_SOCK_LISTEN, "sock.listen", {LISTEN}),
      ev(WV_EV_SOCK_LISTEN_ERROR, "sock.listen_error", {LISTEN}),
      ev(WV_EV_SOCK_SHUTDOWN, "sock.shutdown", {SHUTDOWN}),
      ev(WV_EV_TCP_STATE, "tcp.state", {STATE}, own),
      ev(WV_EV_TCP_CONG_STATE, "tcp.cong_state", {CONG}, own),
      none(WV_EV_FLOW_TCP_BEGIN, "flow.tcp_begin", derived),
      none(WV_EV_FLOW_TCP_END, "flow.tcp_end", derived),
      ev(WV_EV_ICMP_ERROR_SENT, "icmp.error_sent", {ICMP_SEND}, own),
      ev(WV_EV_NEIGH_CREATE, "neigh.create", {NEIGH_CREATE}),
      ev(WV_EV_NEIGH_UPDATE, "neigh.update", {NEIGH_UPDATE_DONE}),
      ev(WV_EV_NEIGH_FAILED, "neigh.failed", {NEIGH_UPDATE_DONE, NEIGH_TIMER}),
      ev(WV_EV_NEIGH_RELEASE, "neigh.release", {NEIGH_RELEASE}),
      ev(WV_EV_ROUTE_LOOKUP, "route.lookup", {FIB_LOOKUP, FIB6_LOOKUP}),
      ev(WV_EV_ROUTE_UNREACHABLE, "route.unreachable", {FIB_LOOKUP, FIB6_LOOKUP}),
      ev(WV_EV_ROUTE_CHANGE, "route.change", {RTNETLINK}),
      ev(WV_EV_LINK_UP, "link.up", {RTNETLINK}),
      ev(WV_EV_LINK_DOWN, "link.down", {RTNETLINK}),
      ev(WV_EV_ADDR_ADD, "addr.add", {RTNETLINK}),
      ev(WV_EV_ADDR_REMOVE, "addr.remove", {RTNETLINK}),
      ev(WV_EV_QDISC_CREATE, "qdisc.create", {QDISC_CREATE}),
      ev(WV_EV_QDISC_DESTROY, "qdisc.destroy", {QDISC_DESTROY}),
      none(WV_EV_CAPTURE_LOST, "capture.lost", "counted by the ring-buffer reader"),
  };
}

const Feature& FeatureOf(const Features& f, ProbeKind kind) {
  switch (kind) {
    case ProbeKind::Fexit: return f.fentry;
    case ProbeKind::Kprobe: return f.kprobe;
    case ProbeKind::TpBtf: return f.tp_btf;
    case ProbeKind::RawTp: return f.raw_tp;
    case ProbeKind::Tracepoint: return f.tracepoint;
    case ProbeKind::CgroupSkb: return f.cgroup_skb;
    case ProbeKind::CgroupSock: return f.cgroup_sock;
    case ProbeKind::Netlink: {
      static const Feature always{true, ""};
      return always;
    }
  }
  return f.btf;
}

// Empty when every target of the tier exists on this kernel, else the first missing one.
std::string MissingTarget(const Tier& tier, const Features& f, const struct btf* vmlinux) {
  for (const auto& target : tier.targets) {
    auto colon = target.find(':');
    bool found = colon == std::string::npos
                     ? KernelHasFunction(vmlinux, target.c_str())
                     : KernelHasTracepoint(tier.kind == ProbeKind::Tracepoint ? nullptr : vmlinux, f.tracefs,
                                           target.substr(0, colon).c_str(), target.substr(colon + 1).c_str());
    if (!found) return target;
  }
  return "";
}

}  // namespace

const std::vector<Group>& Groups() {
  static const std::vector<Group> groups = BuildGroups();
  return groups;
}

const std::vector<EventSources>& EventTable() {
  static const std::vector<EventSources> events = BuildEvents();
  return events;
}

Plan MakePlan(const Features& features, const struct btf* vmlinux, const std::vector<ProbeKind>& exclude,
              const std::vector<Refusal>& refused) {
  Plan plan{features, {}};
  for (const auto& group : Groups()) {
    GroupChoice choice;
    for (size_t i = 0; i < group.tiers.size() && choice.tier < 0; i++) {
      const Tier& tier = group.tiers[i];
      const Feature& feature = FeatureOf(features, tier.kind);
      std::string why;
      auto refusal = std::find_if(refused.begin(), refused.end(), [&](const Refusal& r) { return r.label == tier.label; });
      if (std::find(exclude.begin(), exclude.end(), tier.kind) != exclude.end()) {
        why = "not used (avoided by the caller)";
      } else if (refusal != refused.end()) {
        why = "refused by this kernel's verifier (" + refusal->why + ")";
      } else if (!feature.ok) {
        why = feature.why;
      } else if (!features.btf.ok) {
        why = "CO-RE programs need kernel BTF";
      } else {
        std::string missing = MissingTarget(tier, features, vmlinux);
        if (missing.empty()) {
          choice.tier = static_cast<int>(i);
          break;
        }
        why = missing + " does not exist on this kernel";
      }
      choice.why += (choice.why.empty() ? "" : "; ") + tier.label + ": " + why;
    }
    if (choice.tier >= 0) choice.why.clear();
    plan.groups.push_back(choice);
  }
  return plan;
}

}  // namespace wv

// Drop reasons are renumbered between kernel releases, so records carry the number and the capture
// names it from this kernel's BTF; the drop.* event of a reason is chosen here by its name.
#include "kernel_names.h"

#include <bpf/btf.h>

#include <cstring>

extern "C" {
#include "records.h"
}

namespace wv {
namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
bool Has(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// Values and names of the enum that has a member called `member` (the TCP states enum is anonymous).
const struct btf_type* FindEnum(const struct btf* btf, const char* name, const char* member) {
  if (name) {
    int id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM);
    return id > 0 ? btf__type_by_id(btf, id) : nullptr;
  }
  for (__u32 id = 1, n = btf__type_cnt(btf); id < n; id++) {
    const struct btf_type* t = btf__type_by_id(btf, id);
    if (!btf_is_enum(t)) continue;
    const struct btf_enum* e = btf_enum(t);
    for (int i = 0; i < btf_vlen(t); i++) {
      if (strcmp(btf__name_by_offset(btf, e[i].name_off), member) == 0) return t;
    }
  }
  return nullptr;
}

std::vector<std::string> EnumNames(const struct btf* btf, const struct btf_type* t, const char* strip) {
  std::vector<std::string> names;
  if (!t) return names;
  const struct btf_enum* e = btf_enum(t);
  for (int i = 0; i < btf_vlen(t); i++) {
    std::string name = btf__name_by_offset(btf, e[i].name_off);
    if (e[i].val < 0 || e[i].val > 4096) continue;  // a *_MAX sentinel far away is not a name we need
    if (StartsWith(name, strip)) name = name.substr(strlen(strip));
    if (names.size() <= static_cast<size_t>(e[i].val)) names.resize(e[i].val + 1);
    if (names[e[i].val].empty()) names[e[i].val] = name;
  }
  return names;
}

}  // namespace

KernelNames ReadKernelNames(const struct btf* vmlinux) {
  KernelNames names;
  if (!vmlinux) return names;
  names.drop_reasons = EnumNames(vmlinux, FindEnum(vmlinux, "skb_drop_reason", nullptr), "SKB_DROP_REASON_");
  names.tcp_states = EnumNames(vmlinux, FindEnum(vmlinux, nullptr, "TCP_ESTABLISHED"), "TCP_");
  return names;
}

uint16_t DropEventOf(const std::string& r) {
  if (r.empty() || r == "SKB_NOT_DROPPED_YET" || r == "SKB_CONSUMED" || r == "SKB_DROP_REASON_MAX" || r == "MAX") return 0;
  if (Has(r, "NOMEM") || r == "PROTO_MEM" || Has(r, "_MEM") || r == "SKB_GSO_SEG") return WV_EV_DROP_NOMEM;
  if (Has(r, "CSUM") || Has(r, "CHECKSUM")) return WV_EV_DROP_CHECKSUM;
  if (r == "NO_SOCKET" || r == "SOCKET_CLOSE") return WV_EV_DROP_NO_SOCKET;
  if (Has(r, "NOROUTE") || StartsWith(r, "NEIGH_") || r == "IP_OUTNOROUTES" || r == "IP_INNOROUTES" || r == "IPV6_NDISC_NS_OTHERHOST")
    return WV_EV_DROP_NO_ROUTE;
  if (StartsWith(r, "DEV_") || r == "FULL_RING" || r == "NOT_DEVICE" || Has(r, "UNREGISTERED")) return WV_EV_DROP_DEVICE;
  if (Has(r, "RCVBUFF") || Has(r, "BACKLOG") || StartsWith(r, "QDISC_") || r == "TCP_LISTEN_OVERFLOW" || Has(r, "QUEUE") ||
      Has(r, "FULL"))
    return WV_EV_DROP_QUEUE_FULL;
  if (Has(r, "NETFILTER") || Has(r, "FILTER") || StartsWith(r, "BPF_") || StartsWith(r, "XDP") || StartsWith(r, "TC_") ||
      Has(r, "IPSEC"))
    return WV_EV_DROP_FILTER;
  if (StartsWith(r, "TCP_")) return WV_EV_DROP_TCP;
  if (Has(r, "TOO_SMALL") || Has(r, "TOO_BIG") || Has(r, "INHDR") || Has(r, "HDR_TRUNC") || Has(r, "INVALID_PROTO") ||
      Has(r, "NOPROTO") || Has(r, "BAD_EXTHDR") || Has(r, "UNHANDLED_PROTO") || Has(r, "INADDRERRORS") || Has(r, "MALFORMED") ||
      Has(r, "PKT_TOO") || Has(r, "BAD_") || Has(r, "INVALID"))
    return WV_EV_DROP_MALFORMED;
  return WV_EV_DROP_OTHER;
}

}  // namespace wv

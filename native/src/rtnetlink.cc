#include "rtnetlink.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <iterator>

namespace wv {
namespace {

uint64_t BootNs() {
  struct timespec ts;
  clock_gettime(CLOCK_BOOTTIME, &ts);  // the clock of the BPF records' timestamps
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec;
}

bool EventOn(const struct wv_config& c, uint32_t event) { return (c.events[event / 64] >> (event % 64)) & 1; }

// Netlink messages have no process: under a pid or comm filter they are never wanted.
bool Wanted(const struct wv_config& c, uint32_t event, const struct wv_tuple* tuple) {
  if (!EventOn(c, event) || c.pid_filter || c.comm_filter) return false;
  return !tuple || TupleWanted(c, *tuple);
}

void FillHdr(struct wv_hdr* h, uint16_t event, uint8_t kind, uint16_t size) {
  h->ts_ns = BootNs();
  h->event = event;
  h->kind = kind;
  h->size_bytes = size;
  h->source = WV_SRC_RTNETLINK;
}

// Attributes of a message after its fixed header of `fixed` bytes, by type.
std::map<uint16_t, const struct rtattr*> Attrs(const struct nlmsghdr* msg, size_t fixed) {
  std::map<uint16_t, const struct rtattr*> out;
  int len = static_cast<int>(msg->nlmsg_len) - static_cast<int>(NLMSG_LENGTH(fixed));
  for (auto* a = reinterpret_cast<const struct rtattr*>(static_cast<const char*>(NLMSG_DATA(msg)) + NLMSG_ALIGN(fixed));
       len > 0 && RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    out[a->rta_type] = a;
  }
  return out;
}

// Copies an address attribute (4 or 16 bytes) into `out`.
void CopyAddr(const std::map<uint16_t, const struct rtattr*>& attrs, uint16_t type, uint8_t* out) {
  auto it = attrs.find(type);
  if (it == attrs.end()) return;
  size_t n = RTA_PAYLOAD(it->second);
  memcpy(out, RTA_DATA(it->second), n > 16 ? 16 : n);
}

bool PrefixMatch(const uint8_t* a, const struct wv_addr_filter& f) {
  int bits = f.prefix_len;
  for (int i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((a[i] ^ f.addr[i]) & mask) return false;
  }
  return true;
}

}  // namespace

bool TupleWanted(const struct wv_config& c, const struct wv_tuple& t) {
  if (!t.family) return true;
  bool applies = false, match = false;
  for (uint32_t i = 0; i < c.addr_count && i < WV_ADDR_FILTERS_MAX; i++) {
    const struct wv_addr_filter& f = c.addrs[i];
    if (!f.directions) continue;  // no direction: the filter never applies
    applies = true;
    if (f.family == t.family && PrefixMatch(f.type == WV_FILTER_SOURCE ? t.saddr : t.daddr, f)) match = true;
  }
  return !applies || match;  // no ports: port filters do not narrow these records
}

std::string RtnlMonitor::Open() {
  Close();
  fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (fd_ < 0) return std::string("cannot open an rtnetlink socket: ") + strerror(errno);
  // a burst (a namespace torn down) must not overflow between two drains
  int bytes = 4 << 20;
  if (setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) != 0)
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
  struct sockaddr_nl sa = {};
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
  if (bind(fd_, reinterpret_cast<struct sockaddr*>(&sa), sizeof(sa)) != 0) {
    std::string why = std::string("cannot subscribe to rtnetlink: ") + strerror(errno);
    Close();
    return why;
  }
  // subscribed first, so nothing falls between what the dump shows and what the socket reports
  if (!Dump(RTM_GETLINK, AF_UNSPEC) || !Dump(RTM_GETADDR, AF_UNSPEC)) {
    std::string why = std::string("cannot list links and addresses: ") + strerror(errno);
    Close();
    return why;
  }
  return "";
}

// Asks for a dump on a socket of its own and learns its answer without emitting anything.
bool RtnlMonitor::Dump(uint16_t type, int family) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return false;
  struct timeval timeout = {2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  struct {
    struct nlmsghdr hdr;
    struct rtgenmsg gen;
  } req = {};
  req.hdr.nlmsg_len = NLMSG_LENGTH(sizeof(req.gen));
  req.hdr.nlmsg_type = type;
  req.hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.hdr.nlmsg_seq = 1;
  req.gen.rtgen_family = family;
  bool ok = send(fd, &req, req.hdr.nlmsg_len, 0) == static_cast<ssize_t>(req.hdr.nlmsg_len);
  std::vector<char> buf(1 << 16);
  for (bool done = !ok; !done;) {
    ssize_t n = recv(fd, buf.data(), buf.size(), 0);
    if (n <= 0) {
      ok = false;
      break;
    }
    int len = static_cast<int>(n);
    for (auto* msg = reinterpret_cast<const struct nlmsghdr*>(buf.data()); NLMSG_OK(msg, len); msg = NLMSG_NEXT(msg, len)) {
      if (msg->nlmsg_type == NLMSG_DONE || msg->nlmsg_type == NLMSG_ERROR) {
        done = true;
        ok = msg->nlmsg_type == NLMSG_DONE;
        break;
      }
      Handle(msg, nullptr, nullptr);
    }
  }
  close(fd);
  return ok;
}

void RtnlMonitor::Read(const struct wv_config& config, const Emit& emit) {
  if (fd_ < 0) return;
  std::vector<char> buf(1 << 16);
  for (;;) {
    ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0 && errno == ENOBUFS) {
      overflows_++;
      continue;
    }
    if (n <= 0) return;  // EAGAIN: nothing more for now
    int len = static_cast<int>(n);
    for (auto* msg = reinterpret_cast<const struct nlmsghdr*>(buf.data()); NLMSG_OK(msg, len); msg = NLMSG_NEXT(msg, len)) {
      Handle(msg, &config, &emit);
    }
  }
}

uint64_t RtnlMonitor::TakeOverflows() {
  uint64_t n = overflows_;
  overflows_ = 0;
  return n;
}

void RtnlMonitor::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  links_.clear();
  addrs_.clear();
}

// `config` and `emit` are null while learning the initial state from a dump.
void RtnlMonitor::Handle(const struct nlmsghdr* msg, const struct wv_config* config, const Emit* emit) {
  switch (msg->nlmsg_type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
      return OnLink(msg, config, emit);
    case RTM_NEWADDR:
    case RTM_DELADDR:
      return OnAddr(msg, config, emit);
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
      return OnRoute(msg, config, emit);
  }
}

// link.up / link.down when a link is administratively brought up or down (IFF_UP), or deleted
// while up. The many other link messages (carrier, statistics, names) change nothing here.
void RtnlMonitor::OnLink(const struct nlmsghdr* msg, const struct wv_config* config, const Emit* emit) {
  if (msg->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg))) return;
  const auto* ifi = static_cast<const struct ifinfomsg*>(NLMSG_DATA(msg));
  auto attrs = Attrs(msg, sizeof(*ifi));
  Link& link = links_[ifi->ifi_index];
  bool was_up = link.up;
  if (auto it = attrs.find(IFLA_IFNAME); it != attrs.end()) link.name = static_cast<const char*>(RTA_DATA(it->second));
  bool deleted = msg->nlmsg_type == RTM_DELLINK;
  bool now_up = !deleted && (ifi->ifi_flags & IFF_UP);
  link.up = now_up;
  struct wv_rec_link rec = {};
  strncpy(rec.ifname, link.name.c_str(), sizeof(rec.ifname) - 1);
  if (deleted) links_.erase(ifi->ifi_index);
  if (!emit || was_up == now_up) return;
  uint16_t event = now_up ? WV_EV_LINK_UP : WV_EV_LINK_DOWN;
  if (!Wanted(*config, event, nullptr)) return;
  FillHdr(&rec.hdr, event, WV_REC_LINK, sizeof(rec));
  rec.ifindex = ifi->ifi_index;
  rec.if_flags = ifi->ifi_flags;
  if (auto it = attrs.find(IFLA_MTU); it != attrs.end()) memcpy(&rec.mtu, RTA_DATA(it->second), sizeof(rec.mtu));
  if (auto it = attrs.find(IFLA_OPERSTATE); it != attrs.end()) rec.oper_state = *static_cast<const uint8_t*>(RTA_DATA(it->second));
  (*emit)(&rec, sizeof(rec));
}

// addr.add once per address (IPv6 repeats RTM_NEWADDR as duplicate detection completes), addr.remove.
void RtnlMonitor::OnAddr(const struct nlmsghdr* msg, const struct wv_config* config, const Emit* emit) {
  if (msg->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifaddrmsg))) return;
  const auto* ifa = static_cast<const struct ifaddrmsg*>(NLMSG_DATA(msg));
  if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) return;
  auto attrs = Attrs(msg, sizeof(*ifa));
  struct wv_rec_addr rec = {};
  // IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's on point-to-point links
  CopyAddr(attrs, attrs.count(IFA_LOCAL) ? IFA_LOCAL : IFA_ADDRESS, rec.addr);
  AddrKey key(rec.addr, rec.addr + 16);
  const uint8_t tail[] = {static_cast<uint8_t>(ifa->ifa_index), static_cast<uint8_t>(ifa->ifa_index >> 8),
                          static_cast<uint8_t>(ifa->ifa_index >> 16), ifa->ifa_family, ifa->ifa_prefixlen};
  key.insert(key.end(), std::begin(tail), std::end(tail));
  bool added = msg->nlmsg_type == RTM_NEWADDR;
  bool changed = added ? addrs_.insert(key).second : addrs_.erase(key) > 0;
  if (!emit || !changed) return;
  uint16_t event = added ? WV_EV_ADDR_ADD : WV_EV_ADDR_REMOVE;
  struct wv_tuple tuple = {};
  memcpy(tuple.saddr, rec.addr, 16);  // the decoded row shows the address as saddr
  tuple.family = ifa->ifa_family;
  if (!Wanted(*config, event, &tuple)) return;
  FillHdr(&rec.hdr, event, WV_REC_ADDR, sizeof(rec));
  rec.ifindex = ifa->ifa_index;
  rec.family = ifa->ifa_family;
  rec.prefix_len = ifa->ifa_prefixlen;
  rec.scope = ifa->ifa_scope;
  auto link = links_.find(ifa->ifa_index);
  if (link != links_.end()) strncpy(rec.ifname, link->second.name.c_str(), sizeof(rec.ifname) - 1);
  (*emit)(&rec, sizeof(rec));
}

// route.change for every route added or removed in any table (not the cloned cache entries).
void RtnlMonitor::OnRoute(const struct nlmsghdr* msg, const struct wv_config* config, const Emit* emit) {
  if (!emit || msg->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtmsg))) return;
  const auto* rtm = static_cast<const struct rtmsg*>(NLMSG_DATA(msg));
  if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) || (rtm->rtm_flags & RTM_F_CLONED)) return;
  auto attrs = Attrs(msg, sizeof(*rtm));
  struct wv_rec_route rec = {};
  CopyAddr(attrs, RTA_DST, rec.daddr);
  CopyAddr(attrs, RTA_PREFSRC, rec.saddr);
  CopyAddr(attrs, RTA_GATEWAY, rec.gateway);
  struct wv_tuple tuple = {};
  memcpy(tuple.saddr, rec.saddr, 16);
  memcpy(tuple.daddr, rec.daddr, 16);
  tuple.family = rtm->rtm_family;
  if (!Wanted(*config, WV_EV_ROUTE_CHANGE, &tuple)) return;
  FillHdr(&rec.hdr, WV_EV_ROUTE_CHANGE, WV_REC_ROUTE, sizeof(rec));
  rec.table = rtm->rtm_table;
  if (auto it = attrs.find(RTA_TABLE); it != attrs.end()) memcpy(&rec.table, RTA_DATA(it->second), sizeof(rec.table));
  if (auto it = attrs.find(RTA_OIF); it != attrs.end()) memcpy(&rec.ifindex, RTA_DATA(it->second), sizeof(rec.ifindex));
  rec.family = rtm->rtm_family;
  rec.prefix_len = rtm->rtm_dst_len;
  rec.route_type = rtm->rtm_type;
  rec.change = msg->nlmsg_type == RTM_NEWROUTE ? WV_ROUTE_ADDED : WV_ROUTE_REMOVED;
  (*emit)(&rec, sizeof(rec));
}

}  // namespace wv

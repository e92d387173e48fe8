// rtnetlink monitoring: link.up/link.down, addr.add/addr.remove and route.change as records of
// records.h (WV_REC_LINK, WV_REC_ADDR, WV_REC_ROUTE), so they travel in the same frames as the
// kernel's. Netlink only reports the network namespace of its socket: the helper's.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

extern "C" {
#include "records.h"
#include "config.h"
}

struct nlmsghdr;

namespace wv {

class RtnlMonitor {
 public:
  using Emit = std::function<void(const void* record, size_t size)>;

  RtnlMonitor() = default;
  RtnlMonitor(const RtnlMonitor&) = delete;
  RtnlMonitor& operator=(const RtnlMonitor&) = delete;
  ~RtnlMonitor() { Close(); }

  // Subscribes to link, IPv4/IPv6 address and route changes, then learns the links and addresses
  // that exist already (they are not reported); "" or why not.
  std::string Open();
  bool IsOpen() const { return fd_ >= 0; }

  // Reads every message waiting (never blocks) and emits the records `config` wants.
  void Read(const struct wv_config& config, const Emit& emit);

  // Times the socket's buffer overflowed (each loses an unknown number of messages, counted as one).
  uint64_t TakeOverflows();

  void Close();

 private:
  struct Link {
    bool up = false;
    std::string name;
  };
  using AddrKey = std::vector<uint8_t>;  // ifindex, family, prefix length, address

  void Handle(const struct nlmsghdr* msg, const struct wv_config* config, const Emit* emit);
  void OnLink(const struct nlmsghdr* msg, const struct wv_config* config, const Emit* emit);
  void OnAddr(const struct nlmsghdr* msg, const struct wv_config* config, const Emit* emit);
  void OnRoute(const struct nlmsghdr* msg, const struct wv_config* config, const Emit* emit);
  bool Dump(uint16_t type, int family);

  int fd_ = -1;
  uint64_t overflows_ = 0;
  std::map<int, Link> links_;
  std::set<AddrKey> addrs_;
};

// The address filters of config.h on a tuple without a direction (user-space twin of
// bpf/filter.bpf.c's wv_tuple_wanted, for records that do not come from BPF).
bool TupleWanted(const struct wv_config& config, const struct wv_tuple& tuple);

}  // namespace wv

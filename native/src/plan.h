// Which probe serves which event on this kernel: the table of sources (best first, as EVENTS.md
// orders them) and the choice the feature probe makes among them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "features.h"

struct btf;

namespace wv {

// Netlink: no program; the addon reads rtnetlink itself (always available to the privileged helper).
enum class ProbeKind { Fexit, Kprobe, TpBtf, RawTp, Tracepoint, CgroupSkb, CgroupSock, Netlink };

// One way to get a group's events: programs that are loaded and attached together.
struct Tier {
  ProbeKind kind;
  std::string label;                  // "tp_btf:sock:inet_sock_set_state"
  std::vector<std::string> programs;  // names in wireview.bpf.o
  std::vector<std::string> targets;   // kernel functions, or "category:tracepoint"
};

// Programs that produce the same events in different ways; exactly one tier is used.
struct Group {
  std::string name;
  std::vector<Tier> tiers;
};

// A catalog event and the groups that produce it (any of them; all available ones are attached).
struct EventSources {
  uint16_t wire;                      // enum wv_event
  std::string id;                     // catalog id
  std::vector<int> groups;            // indexes into Groups()
  std::vector<int> helpers;           // groups that add fields or process attribution, if available
  std::string without_bpf;            // for events that BPF does not produce: where they come from
};

const std::vector<Group>& Groups();
const std::vector<EventSources>& EventTable();

// The probe's decision for one group.
struct GroupChoice {
  int tier = -1;   // index into the group's tiers; -1 = unavailable
  std::string why; // why not, when unavailable
};

struct Plan {
  Features features;
  std::vector<GroupChoice> groups;  // parallel to Groups()
};

// A tier whose program this kernel's verifier refused (a helper or a context access it does not
// allow yet), found by loading: its group falls back to the next tier.
struct Refusal {
  std::string label;  // Tier::label
  std::string why;    // the verifier's last word, one line
};

// Chooses a tier per group; `exclude` kinds are treated as unavailable (avoided by the caller), and
// so are the `refused` tiers.
Plan MakePlan(const Features& features, const struct btf* vmlinux, const std::vector<ProbeKind>& exclude = {},
              const std::vector<Refusal>& refused = {});

}  // namespace wv

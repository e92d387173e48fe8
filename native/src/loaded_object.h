// wireview.bpf.o (embedded by its skeleton) loaded with a plan: the programs the plan chose, the
// ring buffer sized, links attached group by group, and the maps read back for loss and counts.
// Not thread-safe; the capture calls it from the JS thread (the poll thread only reads map fds).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "plan.h"

struct bpf_object;
struct bpf_link;

namespace wv {

class LoadedObject {
 public:
  LoadedObject() = default;
  LoadedObject(const LoadedObject&) = delete;
  LoadedObject& operator=(const LoadedObject&) = delete;
  ~LoadedObject() { Close(); }

  // Opens the object, enables the programs of the plan's tiers and loads; "" or why not (with the
  // end of the verifier's log).
  std::string Load(const Plan& plan, uint32_t ring_bytes);

  // Loads the best plan this kernel accepts: a program the verifier refuses takes its tier out of
  // the plan (the group falls back to its next tier, listed in `refused`) and the load is retried.
  // "" or why nothing could be loaded. plan() is the plan loaded.
  std::string LoadBest(const Features& features, const struct btf* vmlinux, const std::vector<ProbeKind>& avoid,
                       uint32_t ring_bytes, std::vector<Refusal>* refused);
  const Plan& plan() const { return plan_; }

  // Attaches every group in `wanted` that is not attached yet (cgroup programs to `cgroup_path`);
  // returns why groups could not be attached. A group that failed is not retried.
  std::vector<std::string> Attach(const std::vector<bool>& wanted, const std::string& cgroup_path);

  // Labels of the tiers attached so far.
  std::vector<std::string> AttachedLabels() const;
  bool AnyAttached() const;

  // Records the ring buffer could not take, summed over CPUs, since load.
  uint64_t LostTotal() const;
  // Records submitted, by catalog id, since load.
  std::vector<std::pair<std::string, uint64_t>> Submitted() const;

  int MapFd(const char* name) const;
  struct bpf_object* object() const { return obj_; }

  void Detach();
  void Close();

 private:
  struct bpf_object* obj_ = nullptr;
  Plan plan_;
  std::vector<struct bpf_link*> links_;
  std::vector<bool> attached_;  // per group
  std::vector<bool> failed_;    // per group
  int cgroup_fd_ = -1;
  int ncpus_ = 1;
};

}  // namespace wv

// wireview.bpf.o (embedded by its skeleton) loaded with a plan: the programs the plan chose, the
// ring buffers created (one per CPU), links attached group by group, and the loss map read back.
// Not thread-safe; the capture calls it from the JS thread (the poll thread only reads map fds).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "plan.h"

extern "C" {
#include "records.h"
#include "config.h"
}

struct bpf_object;
struct bpf_link;

namespace wv {

class LoadedObject {
 public:
  LoadedObject() = default;
  LoadedObject(const LoadedObject&) = delete;
  LoadedObject& operator=(const LoadedObject&) = delete;
  ~LoadedObject() { Close(); }

  // Opens the object, enables the programs of the plan's tiers, creates a ring buffer of
  // `ring_bytes` (0: RingBytesFor the CPUs online) for each CPU online and loads; "" or why not
  // (with the end of the verifier's log).
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

  // What each possible CPU's ring buffer could not take since load, and when it last refused one.
  std::vector<struct wv_loss> LossPerCpu() const;

  int MapFd(const char* name) const;
  // The ring buffers, one per CPU online at load (the programs reserve in their CPU's; CPUs that
  // come online later share the first).
  const std::vector<int>& RingFds() const { return ring_fds_; }
  uint32_t RingBytes() const { return ring_bytes_; }
  // The default size of each CPU's ring: 16 MiB shared out, a power of two from 512 KiB to 4 MiB.
  static uint32_t RingBytesFor(size_t cpus);
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
  std::vector<int> ring_fds_;
  std::vector<uint32_t> ring_cpus_;  // the CPU of each ring
  uint32_t ring_bytes_ = 0;
};

}  // namespace wv

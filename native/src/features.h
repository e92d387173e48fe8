// Kernel features the capture depends on, probed once per process (as root).
#pragma once
#include <string>

struct btf;

namespace wv {

// One yes/no with the reason of a no, for the probe report.
struct Feature {
  bool ok = false;
  std::string why;  // empty when ok
};

struct Features {
  Feature btf;          // /sys/kernel/btf/vmlinux: CO-RE and tp_btf
  Feature ringbuf;      // BPF_MAP_TYPE_RINGBUF
  Feature fentry;       // fentry/fexit programs load (not just exist)
  Feature kprobe;       // kprobe PMU or tracefs kprobe_events
  Feature tp_btf;       // BTF-typed raw tracepoints load
  Feature raw_tp;       // raw tracepoints
  Feature tracepoint;   // classic tracepoints: tracefs mounted (mounted here when missing)
  Feature cgroup_skb;   // cgroup_skb programs and a cgroup v2 mount
  Feature cgroup_sock;  // cgroup/sock_create programs and a cgroup v2 mount
  std::string tracefs;  // where tracefs is, "" when nowhere
  std::string cgroup2;  // where cgroup v2 is mounted, "" when nowhere
};

// Probes every feature; `vmlinux` may be null (then BTF-dependent features are off).
Features ProbeFeatures(const struct btf* vmlinux);

// Does the running kernel have this function (for fexit/kprobe) or tracepoint (for tp_btf/raw_tp)?
bool KernelHasFunction(const struct btf* vmlinux, const char* name);
bool KernelHasTracepoint(const struct btf* vmlinux, const std::string& tracefs, const char* category, const char* name);

}  // namespace wv

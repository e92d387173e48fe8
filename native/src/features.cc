// Feature probes: each loads (or looks for) the smallest thing that proves a feature works, because
// "the kernel has it" is not enough — fentry can exist and still fail to load (lockdown, EPERM).
#include "features.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace wv {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

Feature Yes() { return Feature{true, ""}; }
Feature No(const std::string& why) { return Feature{false, why}; }

// Loads "r0 = 0; exit" as a tracing program attached to BTF id `id`; returns the errno of a failure.
int TryLoadTracing(enum bpf_attach_type type, __u32 id) {
  const struct bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = type, .attach_btf_id = id);
  int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "wv_probe", "GPL", insns, 2, &opts);
  if (fd < 0) return errno ? errno : EINVAL;
  close(fd);
  return 0;
}

std::string FindTracefs() {
  for (const char* dir : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
    if (Exists(std::string(dir) + "/events")) return dir;
  }
  // root may mount it; the capture needs it for syscall tracepoints
  if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr) == 0 && Exists("/sys/kernel/tracing/events")) {
    return "/sys/kernel/tracing";
  }
  return "";
}

std::string FindCgroup2() {
  std::ifstream mounts("/proc/self/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    std::string dev, dir, type;
    fields >> dev >> dir >> type;
    if (type == "cgroup2") return dir;
  }
  return "";
}

}  // namespace

bool KernelHasFunction(const struct btf* vmlinux, const char* name) {
  return vmlinux && btf__find_by_name_kind(vmlinux, name, BTF_KIND_FUNC) > 0;
}

bool KernelHasTracepoint(const struct btf* vmlinux, const std::string& tracefs, const char* category,
                         const char* name) {
  std::string typedef_name = std::string("btf_trace_") + name;
  if (vmlinux && btf__find_by_name_kind(vmlinux, typedef_name.c_str(), BTF_KIND_TYPEDEF) > 0) return true;
  return !tracefs.empty() && Exists(tracefs + "/events/" + category + "/" + name);
}

Features ProbeFeatures(const struct btf* vmlinux) {
  Features f;
  f.btf = vmlinux ? Yes() : No("the kernel has no BTF (/sys/kernel/btf/vmlinux): CONFIG_DEBUG_INFO_BTF is off");
  f.ringbuf = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr) == 1
                  ? Yes()
                  : No("BPF ring buffers need Linux 5.8 or later");
  if (!vmlinux) {
    f.fentry = f.tp_btf = No("needs kernel BTF");
  } else {
    int fn = btf__find_by_name_kind(vmlinux, "tcp_sendmsg", BTF_KIND_FUNC);
    int err = fn > 0 ? TryLoadTracing(BPF_TRACE_FEXIT, fn) : ENOENT;
    f.fentry = err == 0 ? Yes() : No(std::string("fexit programs do not load: ") + strerror(err));
    int tp = btf__find_by_name_kind(vmlinux, "btf_trace_sock_send_length", BTF_KIND_TYPEDEF);
    if (tp <= 0) tp = btf__find_by_name_kind(vmlinux, "btf_trace_inet_sock_set_state", BTF_KIND_TYPEDEF);
    err = tp > 0 ? TryLoadTracing(BPF_TRACE_RAW_TP, tp) : ENOENT;
    f.tp_btf = err == 0 ? Yes() : No(std::string("tp_btf programs do not load: ") + strerror(err));
  }
  f.kprobe = Exists("/sys/bus/event_source/devices/kprobe/type")
                 ? Yes()
                 : No("kprobes are not built into this kernel (no kprobe PMU)");
  f.raw_tp = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, nullptr) == 1
                 ? Yes()
                 : No("raw tracepoints need Linux 4.17 or later");
  f.tracefs = FindTracefs();
  f.tracepoint = f.tracefs.empty() ? No("tracefs is not mounted and could not be mounted") : Yes();
  f.cgroup2 = FindCgroup2();
  if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_CGROUP_SKB, nullptr) != 1) {
    f.cgroup_skb = No("cgroup_skb programs are not supported");
  } else {
    f.cgroup_skb = f.cgroup2.empty() ? No("no cgroup v2 hierarchy is mounted") : Yes();
  }
  if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_CGROUP_SOCK, nullptr) != 1) {
    f.cgroup_sock = No("cgroup_sock programs are not supported");
  } else {
    f.cgroup_sock = f.cgroup2.empty() ? No("no cgroup v2 hierarchy is mounted") : Yes();
  }
  return f;
}

}  // namespace wv

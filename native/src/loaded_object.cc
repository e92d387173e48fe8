#include "loaded_object.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "wireview.skel.h"

namespace wv {
namespace {

// libbpf's messages while loading, kept for the error a failed load reports.
std::mutex log_mutex;
std::string load_log;
int CollectLog(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string line(n > 0 ? n : 0, '\0');
  if (n > 0) vsnprintf(line.data(), n + 1, format, args);
  std::lock_guard<std::mutex> lock(log_mutex);
  load_log += line;
  if (load_log.size() > 256 * 1024) load_log.erase(0, load_log.size() - 128 * 1024);
  return 0;
}

// The program a failed load stopped at, and the verifier's reason (the line before its
// "processed N insns" summary), from libbpf's log; name "" when the log names none.
Refusal RefusedProgram(const std::string& log) {
  Refusal r;
  const std::string mark = "': BPF program load failed";
  size_t end = log.find(mark);
  size_t start = end == std::string::npos ? std::string::npos : log.rfind("prog '", end);
  if (start == std::string::npos) return r;
  r.label = log.substr(start + 6, end - start - 6);  // the program name, mapped to its tier by the caller
  size_t processed = log.find("\nprocessed ", end);
  if (processed == std::string::npos) processed = log.find("processed ", end);
  size_t line = processed == std::string::npos ? std::string::npos : log.rfind('\n', processed - 1);
  if (line != std::string::npos && processed > line) r.why = log.substr(line + 1, processed - line - 1);
  while (!r.why.empty() && (r.why.back() == '\n' || r.why.back() == ' ')) r.why.pop_back();
  if (r.why.empty()) r.why = log.substr(end + 3, log.find('\n', end) - end - 3);
  return r;
}

// What the rings of a capture may take together.
constexpr uint64_t kMaxRingTotal = 1ull << 30;

// CPUs listed in a sysfs CPU list ("0-3,6,8-9"); empty when it cannot be read.
std::vector<int> CpuList(const char* path) {
  std::vector<int> cpus;
  FILE* f = fopen(path, "re");
  if (!f) return cpus;
  std::string text;
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) text.append(chunk, n);
  fclose(f);
  const char* p = text.c_str();
  while (*p >= '0' && *p <= '9') {
    char* end;
    long lo = strtol(p, &end, 10);
    long hi = lo;
    if (*end == '-') hi = strtol(end + 1, &end, 10);
    for (long c = lo; c <= hi && c < 65536; c++) cpus.push_back(static_cast<int>(c));
    p = *end == ',' ? end + 1 : end;
  }
  return cpus;
}

}  // namespace

std::string LoadedObject::LoadBest(const Features& features, const struct btf* vmlinux, const std::vector<ProbeKind>& avoid,
                                   uint32_t ring_bytes, std::vector<Refusal>* refused) {
  // what this kernel refused is the same for every load of this object: learnt once per process
  static std::mutex known_mutex;
  static std::vector<Refusal> known;
  {
    std::lock_guard<std::mutex> lock(known_mutex);
    *refused = known;
  }
  const auto& groups = Groups();
  std::string err;
  for (size_t attempt = 0; attempt <= groups.size(); attempt++) {
    Plan plan = MakePlan(features, vmlinux, avoid, *refused);
    err = Load(plan, ring_bytes);
    if (err.empty()) {
      std::lock_guard<std::mutex> lock(known_mutex);
      known = *refused;
      return "";
    }
    std::string log;
    {
      std::lock_guard<std::mutex> lock(log_mutex);
      log = load_log;
    }
    Refusal r = RefusedProgram(log);
    std::string program = r.label;
    r.label.clear();
    for (size_t g = 0; g < groups.size() && r.label.empty(); g++) {
      if (plan.groups[g].tier < 0) continue;
      const Tier& tier = groups[g].tiers[plan.groups[g].tier];
      for (const auto& name : tier.programs) {
        if (name == program) r.label = tier.label;
      }
    }
    if (r.label.empty()) return err;  // not one program's fault: nothing to fall back from
    refused->push_back(r);
  }
  return err;
}

std::string LoadedObject::Load(const Plan& plan, uint32_t ring_bytes) {
  Close();
  plan_ = plan;
  struct wireview* skel = wireview__open();
  if (!skel) return std::string("cannot open the BPF object: ") + strerror(errno);
  obj_ = skel->obj;
  skel->obj = nullptr;  // the object is ours; the skeleton struct only named its parts
  wireview__destroy(skel);
  struct bpf_program* prog;
  bpf_object__for_each_program(prog, obj_) bpf_program__set_autoload(prog, false);
  const auto& groups = Groups();
  for (size_t g = 0; g < groups.size(); g++) {
    if (plan.groups[g].tier < 0) continue;
    for (const auto& name : groups[g].tiers[plan.groups[g].tier].programs) {
      struct bpf_program* p = bpf_object__find_program_by_name(obj_, name.c_str());
      if (!p) return "the BPF object has no program " + name;
      bpf_program__set_autoload(p, true);
    }
  }
  ncpus_ = libbpf_num_possible_cpus();
  if (ncpus_ < 1) return "cannot count the CPUs: " + std::string(strerror(-ncpus_));
  std::vector<int> online = CpuList("/sys/devices/system/cpu/online");
  if (online.empty()) {
    for (int c = 0; c < ncpus_; c++) online.push_back(c);
  }
  online.erase(std::remove_if(online.begin(), online.end(), [&](int cpu) { return cpu >= ncpus_; }), online.end());
  ring_bytes_ = ring_bytes ? ring_bytes : RingBytesFor(online.size());
  if (static_cast<uint64_t>(ring_bytes_) * online.size() > kMaxRingTotal) {
    return "ringBufferBytes " + std::to_string(ring_bytes_) + " × " + std::to_string(online.size()) +
           " CPUs online is more than the 1 GiB the rings may take together";
  }
  for (int cpu : online) {
    int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "wv_ring", 0, 0, ring_bytes_, nullptr);
    if (fd < 0) {
      std::string why = strerror(errno);
      Close();
      return "cannot create the ring buffer of CPU " + std::to_string(cpu) + ": " + why;
    }
    ring_cpus_.push_back(static_cast<uint32_t>(cpu));
    ring_fds_.push_back(fd);
  }
  if (ring_fds_.empty()) return "no CPU is online";
  struct bpf_map* rings = bpf_object__find_map_by_name(obj_, "wv_events");
  bpf_map__set_max_entries(rings, ncpus_);
  // The rings' size comes from the template the outer map is created with: one of them (libbpf
  // 1.1's bpf_map__set_max_entries crashes on the inner map it declares, whose object is unset).
  if (bpf_map__set_inner_map_fd(rings, ring_fds_[0]) != 0) {
    Close();
    return "cannot set the ring buffers' template";
  }
  {
    std::lock_guard<std::mutex> lock(log_mutex);
    load_log.clear();
  }
  libbpf_print_fn_t previous = libbpf_set_print(CollectLog);
  int err = bpf_object__load(obj_);
  libbpf_set_print(previous);
  if (err) {
    Close();
    std::lock_guard<std::mutex> lock(log_mutex);
    std::string tail = load_log.size() > 4000 ? load_log.substr(load_log.size() - 4000) : load_log;
    return std::string("loading the BPF object failed: ") + strerror(-err) + "\n" + tail;
  }
  attached_.assign(groups.size(), false);
  failed_.assign(groups.size(), false);
  // Each CPU online writes to its own ring; a CPU that comes online later shares the first one
  // (rather than losing every record it makes until the capture restarts).
  int rings_fd = bpf_map__fd(rings);
  for (int cpu = 0; cpu < ncpus_; cpu++) {
    size_t i = std::find(ring_cpus_.begin(), ring_cpus_.end(), static_cast<uint32_t>(cpu)) - ring_cpus_.begin();
    int fd = i < ring_fds_.size() ? ring_fds_[i] : ring_fds_[0];
    uint32_t key = static_cast<uint32_t>(cpu);
    if (bpf_map_update_elem(rings_fd, &key, &fd, BPF_ANY) != 0) {
      std::string why = strerror(errno);
      Close();
      return "cannot install the ring buffer of CPU " + std::to_string(cpu) + ": " + why;
    }
  }
  return "";
}

uint32_t LoadedObject::RingBytesFor(size_t cpus) {
  uint32_t bytes = 4u << 20;
  while (bytes > (512u << 10) && static_cast<uint64_t>(bytes) * cpus > (16u << 20)) bytes /= 2;
  return bytes;
}

std::vector<std::string> LoadedObject::Attach(const std::vector<bool>& wanted, const std::string& cgroup_path) {
  const auto& groups = Groups();
  std::vector<std::string> errors;
  for (size_t g = 0; g < groups.size() && obj_; g++) {
    if (!wanted[g] || attached_[g] || failed_[g] || plan_.groups[g].tier < 0) continue;
    const Tier& tier = groups[g].tiers[plan_.groups[g].tier];
    std::vector<struct bpf_link*> links;
    std::string why;
    for (const auto& name : tier.programs) {
      struct bpf_program* p = bpf_object__find_program_by_name(obj_, name.c_str());
      struct bpf_link* link = nullptr;
      if (tier.kind == ProbeKind::CgroupSkb || tier.kind == ProbeKind::CgroupSock) {
        if (cgroup_fd_ < 0) {
          std::string path = cgroup_path.empty() ? plan_.features.cgroup2 : cgroup_path;
          cgroup_fd_ = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (cgroup_fd_ < 0) {
            why = "cannot open cgroup " + path + ": " + strerror(errno);
            break;
          }
        }
        link = bpf_program__attach_cgroup(p, cgroup_fd_);
      } else {
        link = bpf_program__attach(p);
      }
      if (!link) {
        why = name + ": " + strerror(errno);
        break;
      }
      links.push_back(link);
    }
    if (why.empty()) {
      links_.insert(links_.end(), links.begin(), links.end());
      attached_[g] = true;
    } else {
      // a group is all or nothing: half a tier would report half its events
      for (struct bpf_link* link : links) bpf_link__destroy(link);
      failed_[g] = true;
      errors.push_back("cannot attach " + tier.label + " (" + why + ")");
    }
  }
  return errors;
}

std::vector<std::string> LoadedObject::AttachedLabels() const {
  std::vector<std::string> labels;
  for (size_t g = 0; g < attached_.size(); g++) {
    if (attached_[g]) labels.push_back(Groups()[g].tiers[plan_.groups[g].tier].label);
  }
  return labels;
}

bool LoadedObject::AnyAttached() const {
  for (bool a : attached_) {
    if (a) return true;
  }
  return false;
}

int LoadedObject::MapFd(const char* name) const { return obj_ ? bpf_object__find_map_fd_by_name(obj_, name) : -1; }

std::vector<struct wv_loss> LoadedObject::LossPerCpu() const {
  std::vector<struct wv_loss> values(ncpus_ > 0 ? ncpus_ : 1);
  uint32_t key = 0;
  int fd = MapFd("wv_lost");
  if (fd < 0 || bpf_map_lookup_elem(fd, &key, values.data()) != 0) return {};
  return values;
}

void LoadedObject::Detach() {
  for (struct bpf_link* link : links_) bpf_link__destroy(link);
  links_.clear();
}

void LoadedObject::Close() {
  Detach();
  if (obj_) bpf_object__close(obj_);
  obj_ = nullptr;
  if (cgroup_fd_ >= 0) close(cgroup_fd_);
  cgroup_fd_ = -1;
  for (int fd : ring_fds_) close(fd);
  ring_fds_.clear();
  ring_cpus_.clear();
}

}  // namespace wv

// The capture's life: start() loads and attaches, a thread drains the ring buffer into frames,
// stop() detaches and resolves once the last frame has reached JS.
#include "capture.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <ctime>
#include <mutex>

#include "kernel_names.h"
#include "wireview.skel.h"

namespace wv {
namespace {

// libbpf's messages while loading, kept for the error a failed load throws.
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

uint64_t BootNs() {
  struct timespec ts;
  clock_gettime(CLOCK_BOOTTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec;
}

bool ReadUint(const Napi::Object& o, const char* key, uint32_t* out) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return true;
  if (!v.IsNumber()) return false;
  *out = v.As<Napi::Number>().Uint32Value();
  return true;
}

Napi::Array Strings(Napi::Env env, const std::vector<std::string>& items) {
  Napi::Array out = Napi::Array::New(env, items.size());
  for (size_t i = 0; i < items.size(); i++) out.Set(i, items[i]);
  return out;
}

#define WV_SOURCE_NAME(name, text) text,
const char* const kSourceNames[] = {WV_SOURCES(WV_SOURCE_NAME)};
#undef WV_SOURCE_NAME

}  // namespace

void DeliverFrame(Napi::Env env, Napi::Function on_frame, Delivery* delivery, Frame* frame) {
  if (env != nullptr && frame != nullptr) {
    Napi::Buffer<uint8_t> bytes = Napi::Buffer<uint8_t>::Copy(env, frame->bytes.data(), frame->bytes.size());
    on_frame.Call({bytes});
  }
  if (delivery && delivery->capture) delivery->capture->in_flight_--;
  delete frame;
}

Napi::Function Capture::Define(Napi::Env env) {
  return DefineClass(env, "Capture",
                     {InstanceMethod<&Capture::Start>("start"), InstanceMethod<&Capture::Reconfigure>("reconfigure"),
                      InstanceMethod<&Capture::Stats>("stats"), InstanceMethod<&Capture::Stop>("stop")});
}

// new Capture({ringBufferBytes, drainIntervalMs, maxFrameBytes, maxFramesInFlight, cgroupPath}, onFrame)
Capture::Capture(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Capture>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    Napi::TypeError::New(env, "Expected (options, onFrame)").ThrowAsJavaScriptException();
    return;
  }
  Napi::Object o = info[0].As<Napi::Object>();
  if (!ReadUint(o, "ringBufferBytes", &ring_bytes_) || !ReadUint(o, "drainIntervalMs", &drain_ms_) ||
      !ReadUint(o, "maxFrameBytes", &max_frame_bytes_) || !ReadUint(o, "maxFramesInFlight", &max_frames_in_flight_)) {
    Napi::TypeError::New(env, "Expected numeric capture options").ThrowAsJavaScriptException();
    return;
  }
  if (o.Get("cgroupPath").IsString()) cgroup_path_ = o.Get("cgroupPath").As<Napi::String>().Utf8Value();
  if (o.Get("avoidKinds").IsArray()) {
    Napi::Array kinds = o.Get("avoidKinds").As<Napi::Array>();
    for (uint32_t i = 0; i < kinds.Length(); i++) {
      std::string kind = kinds.Get(i).ToString().Utf8Value();
      bool known = false;
      for (auto [name, value] : {std::pair{"fexit", ProbeKind::Fexit}, {"kprobe", ProbeKind::Kprobe}, {"tp_btf", ProbeKind::TpBtf},
                                 {"raw_tp", ProbeKind::RawTp}, {"tracepoint", ProbeKind::Tracepoint}, {"cgroup_skb", ProbeKind::CgroupSkb},
                                 {"cgroup_sock", ProbeKind::CgroupSock}}) {
        if (kind == name) {
          avoid_.push_back(value);
          known = true;
        }
      }
      if (!known) {
        Napi::TypeError::New(env, "Expected \"avoidKinds\" to hold fexit, kprobe, tp_btf, raw_tp, tracepoint or cgroup_skb")
            .ThrowAsJavaScriptException();
        return;
      }
    }
  }
  on_frame_ = Napi::Persistent(info[1].As<Napi::Function>());
}

Capture::~Capture() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  Teardown();
}

std::string Capture::Load(const Plan& plan) {
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
  bpf_map__set_max_entries(bpf_object__find_map_by_name(obj_, "wv_events"), ring_bytes_);
  {
    std::lock_guard<std::mutex> lock(log_mutex);
    load_log.clear();
  }
  libbpf_print_fn_t previous = libbpf_set_print(CollectLog);
  int err = bpf_object__load(obj_);
  libbpf_set_print(previous);
  if (err) {
    bpf_object__close(obj_);
    obj_ = nullptr;
    std::lock_guard<std::mutex> lock(log_mutex);
    std::string tail = load_log.size() > 4000 ? load_log.substr(load_log.size() - 4000) : load_log;
    return std::string("loading the BPF object failed: ") + strerror(-err) + "\n" + tail;
  }
  return "";
}

std::string Capture::AttachFor(const CaptureConfig& config) {
  const auto& groups = Groups();
  std::vector<bool> wanted(groups.size(), false);
  for (const auto& ev : EventTable()) {
    bool on = false;
    for (uint16_t w : config.events) on = on || w == ev.wire;
    if (!on) continue;
    for (int g : ev.groups) wanted[g] = true;
    for (int g : ev.helpers) wanted[g] = true;
  }
  for (size_t g = 0; g < groups.size(); g++) {
    if (!wanted[g] || attached_[g] || plan_.groups[g].tier < 0) continue;
    const Tier& tier = groups[g].tiers[plan_.groups[g].tier];
    for (const auto& name : tier.programs) {
      struct bpf_program* p = bpf_object__find_program_by_name(obj_, name.c_str());
      struct bpf_link* link = nullptr;
      if (tier.kind == ProbeKind::CgroupSkb || tier.kind == ProbeKind::CgroupSock) {
        if (cgroup_fd_ < 0) {
          std::string path = cgroup_path_.empty() ? plan_.features.cgroup2 : cgroup_path_;
          cgroup_fd_ = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (cgroup_fd_ < 0) return "cannot open cgroup " + path + ": " + strerror(errno);
        }
        link = bpf_program__attach_cgroup(p, cgroup_fd_);
      } else {
        link = bpf_program__attach(p);
      }
      if (!link) return "cannot attach " + name + " (" + tier.label + "): " + strerror(errno);
      links_.push_back(link);
    }
    attached_[g] = true;
  }
  return "";
}

// start(config) → {sources, attached, dropReasons, tcpStates}: loads, configures, attaches, polls.
Napi::Value Capture::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (started_) {
    Napi::Error::New(env, "the capture is already started").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  CaptureConfig config;
  if (!ReadConfig(env, info[0], &config)) return env.Undefined();
  started_ = true;
  vmlinux_ = btf__load_vmlinux_btf();
  if (!vmlinux_) vmlinux_ = nullptr;
  Features features = ProbeFeatures(vmlinux_);
  if (!features.ringbuf.ok || !features.btf.ok) {
    Napi::Error::New(env, "BPF capture is unavailable: " + (features.btf.ok ? features.ringbuf.why : features.btf.why))
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  plan_ = MakePlan(features, vmlinux_, avoid_);
  std::string err = Load(plan_);
  if (!err.empty() && (plan_.features.fentry.ok || plan_.features.kprobe.ok)) {
    // a function probe the verifier refused on this kernel: fall back to the tracepoints
    std::vector<ProbeKind> avoid = avoid_;
    avoid.push_back(ProbeKind::Fexit);
    avoid.push_back(ProbeKind::Kprobe);
    plan_ = MakePlan(features, vmlinux_, avoid);
    err = Load(plan_);
  }
  if (!err.empty()) {
    Napi::Error::New(env, err).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  KernelNames names = ReadKernelNames(vmlinux_);
  int drops = bpf_object__find_map_fd_by_name(obj_, "wv_drop_events");
  for (uint32_t i = 0; i < names.drop_reasons.size() && i < WV_DROP_REASONS_MAX; i++) {
    uint16_t event = DropEventOf(names.drop_reasons[i]);
    bpf_map_update_elem(drops, &i, &event, BPF_ANY);
  }
  attached_.assign(Groups().size(), false);
  int werr = WriteConfig(obj_, config);
  if (werr == 0) err = AttachFor(config);
  if (werr != 0 || !err.empty()) {
    Teardown();
    Napi::Error::New(env, werr ? std::string("cannot write the capture config: ") + strerror(-werr) : err)
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  ncpus_ = libbpf_num_possible_cpus();
  rb_ = ring_buffer__new(bpf_object__find_map_fd_by_name(obj_, "wv_events"), OnRecord, this, nullptr);
  if (!rb_) {
    Teardown();
    Napi::Error::New(env, std::string("cannot open the ring buffer: ") + strerror(errno)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  delivery_ = new Delivery{this, nullptr};
  tsfn_ = FrameFn::New(env, on_frame_.Value(), "wireview-frames", 0, 1, delivery_,
                       [](Napi::Env, Capture*, Delivery* d) {
                         if (d->stopped) d->stopped->Resolve(d->capture->Env().Undefined());
                         d->capture->Unref();
                         delete d;
                       },
                       this);
  Ref();
  frame_.assign(sizeof(struct wv_frame_hdr), 0);
  running_ = true;
  thread_ = std::thread([this] { PollLoop(); });

  Napi::Object out = Napi::Object::New(env);
  out.Set("sources", Strings(env, std::vector<std::string>(std::begin(kSourceNames), std::end(kSourceNames))));
  std::vector<std::string> attached;
  for (size_t g = 0; g < attached_.size(); g++) {
    if (attached_[g]) attached.push_back(Groups()[g].tiers[plan_.groups[g].tier].label);
  }
  out.Set("attached", Strings(env, attached));
  out.Set("dropReasons", Strings(env, names.drop_reasons));
  out.Set("tcpStates", Strings(env, names.tcp_states));
  return out;
}

Napi::Value Capture::Reconfigure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CaptureConfig config;
  if (!ReadConfig(env, info[0], &config)) return env.Undefined();
  if (!running_) {
    Napi::Error::New(env, "the capture is not running").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int err = WriteConfig(obj_, config);
  std::string attach = err ? "" : AttachFor(config);
  if (err || !attach.empty()) {
    Napi::Error::New(env, err ? std::string("cannot write the capture config: ") + strerror(-err) : attach)
        .ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

uint64_t Capture::LostTotal() const {
  std::vector<uint64_t> per_cpu(ncpus_ > 0 ? ncpus_ : 1, 0);
  uint32_t zero = 0;
  int fd = bpf_object__find_map_fd_by_name(obj_, "wv_lost");
  if (fd < 0 || bpf_map_lookup_elem(fd, &zero, per_cpu.data()) != 0) return 0;
  uint64_t sum = 0;
  for (uint64_t v : per_cpu) sum += v;
  return sum;
}

int Capture::OnRecord(void* ctx, void* data, size_t size) {
  Capture* self = static_cast<Capture*>(ctx);
  const auto* hdr = static_cast<const struct wv_hdr*>(data);
  if (size < sizeof(*hdr) || size % WV_RECORD_ALIGN != 0 || hdr->size_bytes != size) return 0;  // never from our programs
  if (self->frame_.size() + size > self->max_frame_bytes_ && self->frame_records_ > 0) self->EmitFrame(0);
  const auto* bytes = static_cast<const uint8_t*>(data);
  self->frame_.insert(self->frame_.end(), bytes, bytes + size);
  self->frame_records_++;
  return 0;
}

// Seals the frame being filled (plus a capture.lost record when `lost` > 0) and queues it for JS.
void Capture::EmitFrame(uint64_t lost) {
  if (frame_records_ == 0 && lost == 0) return;
  if (lost > 0) {
    struct wv_rec_lost rec = {};
    rec.hdr.ts_ns = BootNs();
    rec.hdr.event = WV_EV_CAPTURE_LOST;
    rec.hdr.size_bytes = sizeof(rec);
    rec.hdr.kind = WV_REC_LOST;
    rec.lost_records = lost;
    const auto* bytes = reinterpret_cast<const uint8_t*>(&rec);
    frame_.insert(frame_.end(), bytes, bytes + sizeof(rec));
    frame_records_++;
  }
  struct wv_frame_hdr h = {};
  h.magic = WV_ABI_MAGIC;
  h.abi_major = WV_ABI_MAJOR;
  h.abi_minor = WV_ABI_MINOR;
  h.record_count = frame_records_;
  h.records_bytes = frame_.size() - sizeof(h);
  h.lost_records = lost;
  memcpy(frame_.data(), &h, sizeof(h));
  records_ += frame_records_ - (lost > 0 ? 1 : 0);
  frames_++;
  bytes_ += frame_.size();
  in_flight_++;
  Frame* frame = new Frame{std::move(frame_)};
  if (tsfn_.NonBlockingCall(frame) != napi_ok) {
    in_flight_--;
    delete frame;
  }
  frame_.assign(sizeof(struct wv_frame_hdr), 0);
  frame_records_ = 0;
}

void Capture::Drain() {
  ring_buffer__consume(rb_);
  uint64_t total = LostTotal();
  uint64_t lost = total - lost_seen_;
  lost_seen_ = total;
  lost_ += lost;
  EmitFrame(lost);
}

void Capture::PollLoop() {
  while (running_) {
    // JS is behind: stop draining, so the ring fills and the kernel counts what it cannot keep
    if (in_flight_ >= max_frames_in_flight_) {
      usleep(drain_ms_ * 1000);
      continue;
    }
    ring_buffer__poll(rb_, static_cast<int>(drain_ms_));
    Drain();
  }
}

Napi::Value Capture::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("records", static_cast<double>(records_));
  out.Set("lost", static_cast<double>(lost_));
  out.Set("frames", static_cast<double>(frames_));
  out.Set("bytes", static_cast<double>(bytes_));
  Napi::Object per_event = Napi::Object::New(env);
  for (const auto& [id, count] : obj_ ? Submitted() : submitted_at_stop_) per_event.Set(id, static_cast<double>(count));
  out.Set("submitted", per_event);
  return out;
}

std::vector<std::pair<std::string, uint64_t>> Capture::Submitted() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  int fd = bpf_object__find_map_fd_by_name(obj_, "wv_counts");
  std::vector<uint64_t> per_cpu(ncpus_ > 0 ? ncpus_ : 1, 0);
  for (const auto& ev : EventTable()) {
    uint32_t key = ev.wire;
    if (fd < 0 || bpf_map_lookup_elem(fd, &key, per_cpu.data()) != 0) continue;
    uint64_t sum = 0;
    for (uint64_t v : per_cpu) sum += v;
    if (sum) out.emplace_back(ev.id, sum);
  }
  return out;
}

// stop() → Promise resolved when every frame drained before the detach has been handed to onFrame.
Napi::Value Capture::Stop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto deferred = std::make_unique<Napi::Promise::Deferred>(env);
  Napi::Promise promise = deferred->Promise();
  if (!running_ || stopped_) {
    deferred->Resolve(env.Undefined());
    return promise;
  }
  stopped_ = true;
  running_ = false;
  if (thread_.joinable()) thread_.join();
  for (struct bpf_link* link : links_) bpf_link__destroy(link);
  links_.clear();
  Drain();  // what the programs wrote before they were detached
  submitted_at_stop_ = Submitted();
  delivery_->stopped = std::move(deferred);
  tsfn_.Release();
  Teardown();
  return promise;
}

void Capture::Teardown() {
  for (struct bpf_link* link : links_) bpf_link__destroy(link);
  links_.clear();
  if (rb_) ring_buffer__free(rb_);
  rb_ = nullptr;
  if (obj_) bpf_object__close(obj_);
  obj_ = nullptr;
  if (cgroup_fd_ >= 0) close(cgroup_fd_);
  cgroup_fd_ = -1;
  if (vmlinux_) btf__free(vmlinux_);
  vmlinux_ = nullptr;
}

}  // namespace wv

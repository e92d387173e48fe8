// The capture's life: start() loads and attaches, a thread drains the ring buffers into frames,
// stop() detaches and resolves once the last frame has reached JS.
#include "capture.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "kernel_names.h"

namespace wv {
namespace {

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

// One more on a counter only the poll thread writes: a plain load and store (no locked
// read-modify-write on every record), atomic so that stats() on the JS thread reads whole values.
void Bump(std::atomic<uint64_t>* counter) { counter->store(counter->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }

uint64_t BootNs() {
  struct timespec ts;
  clock_gettime(CLOCK_BOOTTIME, &ts);  // the clock of bpf_ktime_get_boot_ns()
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec;
}

#define WV_SOURCE_NAME(name, text) text,
const char* const kSourceNames[] = {WV_SOURCES(WV_SOURCE_NAME)};
#undef WV_SOURCE_NAME

}  // namespace

// The buffer handed to JS owns the frame's bytes (no copy of tens of MB/s): they are freed when the
// buffer is collected. Where external buffers are not allowed (Electron's V8 sandbox), they are copied.
void DeliverFrame(Napi::Env env, Napi::Function on_frame, Delivery* delivery, Frame* frame) {
  if (env != nullptr && frame != nullptr) {
    Napi::Buffer<uint8_t> bytes = Napi::Buffer<uint8_t>::NewOrCopy(env, frame->bytes.data(), frame->bytes.size(),
                                                                   [](Napi::Env, uint8_t*, Frame* owner) { delete owner; }, frame);
    frame = nullptr;  // the buffer owns it now
    on_frame.Call({bytes});
    // Lent: detaching ends the buffer's hold on the bytes now, so the next frame reuses warm memory
    // (a collected buffer frees them only at the next GC). A buffer that cannot be detached stays as it is.
    if (delivery && delivery->capture && delivery->capture->lend_frames_) napi_detach_arraybuffer(env, bytes.ArrayBuffer());
  }
  if (delivery && delivery->capture) delivery->capture->in_flight_--;
  delete frame;
}

Napi::Function Capture::Define(Napi::Env env) {
  return DefineClass(env, "Capture",
                     {InstanceMethod<&Capture::Start>("start"), InstanceMethod<&Capture::Reconfigure>("reconfigure"),
                      InstanceMethod<&Capture::Stats>("stats"), InstanceMethod<&Capture::Stop>("stop")});
}

// new Capture({ringBufferBytes, drainIntervalMs, maxFrameBytes, maxFramesInFlight, cgroupPath, avoidKinds}, onFrame)
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
  lend_frames_ = o.Get("lendFrames").ToBoolean().Value();
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
  rings_.Close();
}

// The groups of probes the enabled events need, helpers included.
std::vector<bool> Capture::GroupsFor(const CaptureConfig& config) const {
  std::vector<bool> wanted(Groups().size(), false);
  for (const auto& ev : EventTable()) {
    bool on = false;
    for (uint16_t w : config.events) on = on || w == ev.wire;
    if (!on) continue;
    for (int g : ev.groups) wanted[g] = true;
    for (int g : ev.helpers) wanted[g] = true;
  }
  return wanted;
}

// start(config) → {sources, attached, attachErrors, refused, dropReasons, tcpStates}: loads, configures,
// attaches, then drains on the poll thread.
Napi::Value Capture::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto fail = [&](const std::string& message) {
    object_.Close();
    Napi::Error::New(env, message).ThrowAsJavaScriptException();
    return env.Undefined();
  };
  if (started_) return fail("the capture is already started");
  CaptureConfig config;
  if (!ReadConfig(env, info[0], &config)) return env.Undefined();
  started_ = true;

  struct btf* vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux) vmlinux = nullptr;  // libbpf returns an error pointer or null, depending on its mode
  Features features = ProbeFeatures(vmlinux);
  KernelNames names = ReadKernelNames(vmlinux);
  // a program this kernel's verifier refuses falls back to its group's next tier
  std::vector<Refusal> refused;
  std::string err = features.btf.ok && features.ringbuf.ok ? object_.LoadBest(features, vmlinux, avoid_, ring_bytes_, &refused) : "";
  btf__free(vmlinux);
  if (!features.btf.ok || !features.ringbuf.ok) {
    return fail("BPF capture is unavailable: " + (features.btf.ok ? features.ringbuf.why : features.btf.why));
  }
  if (!err.empty()) return fail(err);

  int drops = object_.MapFd("wv_drop_events");
  for (uint32_t i = 0; i < names.drop_reasons.size() && i < WV_DROP_REASONS_MAX; i++) {
    uint16_t event = DropEventOf(names.drop_reasons[i]);
    bpf_map_update_elem(drops, &i, &event, BPF_ANY);
  }
  int werr = WriteConfig(object_.object(), config);
  if (werr) return fail(std::string("cannot write the capture config: ") + strerror(-werr));
  std::vector<std::string> attach_errors = object_.Attach(GroupsFor(config), cgroup_path_);
  if (!object_.AnyAttached() && !attach_errors.empty()) return fail(attach_errors.front());
  SetRtnlConfig(config);
  if (rtnl_wanted_) {
    // opened here rather than lazily so that a failure is reported with the attach errors
    std::string why = rtnl_.Open();
    if (!why.empty()) attach_errors.push_back(why);
  }
  std::string ring_err = rings_.Open(object_.RingFds(), object_.RingBytes());
  if (!ring_err.empty()) return fail(ring_err);

  delivery_ = new Delivery{this, nullptr};
  tsfn_ = FrameFn::New(env, on_frame_.Value(), "wireview-frames", 0, 1, delivery_,
                       [](Napi::Env, Capture*, Delivery* d) {
                         if (d->stopped) d->stopped->Resolve(d->capture->Env().Undefined());
                         d->capture->Unref();
                         delete d;
                       },
                       this);
  Ref();  // until the last frame is delivered
  writer_ = std::make_unique<FrameWriter>(max_frame_bytes_);
  running_ = true;
  thread_ = std::thread([this] { PollLoop(); });

  Napi::Object out = Napi::Object::New(env);
  out.Set("sources", Strings(env, std::vector<std::string>(std::begin(kSourceNames), std::end(kSourceNames))));
  out.Set("attached", Strings(env, object_.AttachedLabels()));
  out.Set("attachErrors", Strings(env, attach_errors));
  std::vector<std::string> refusals;
  for (const auto& r : refused) refusals.push_back(r.label + ": " + r.why);
  out.Set("refused", Strings(env, refusals));
  out.Set("dropReasons", Strings(env, names.drop_reasons));
  out.Set("tcpStates", Strings(env, names.tcp_states));
  return out;
}

// reconfigure(config) → why probes newly needed could not be attached (usually empty)
Napi::Value Capture::Reconfigure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CaptureConfig config;
  if (!ReadConfig(env, info[0], &config)) return env.Undefined();
  if (!running_) {
    Napi::Error::New(env, "the capture is not running").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int err = WriteConfig(object_.object(), config);
  if (err) {
    Napi::Error::New(env, std::string("cannot write the capture config: ") + strerror(-err)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  SetRtnlConfig(config);
  return Strings(env, object_.Attach(GroupsFor(config), cgroup_path_));
}

// Hands a sealed frame to JS; it is counted as in flight until DeliverFrame has run.
void Capture::Queue(std::unique_ptr<Frame> frame) {
  if (!frame) return;
  records_ += frame->records;
  frames_++;
  bytes_ += frame->bytes.size();
  in_flight_++;
  Frame* raw = frame.release();
  if (tsfn_.NonBlockingCall(raw) != napi_ok) {
    in_flight_--;
    delete raw;
  }
}

// rtnetlink events are wanted when any of them is enabled; the socket is opened by Start or, after
// a reconfigure that enables them, by the poll thread.
void Capture::SetRtnlConfig(const CaptureConfig& config) {
  bool wanted = false;
  for (uint16_t w : config.events) {
    wanted = wanted || w == WV_EV_LINK_UP || w == WV_EV_LINK_DOWN || w == WV_EV_ADDR_ADD || w == WV_EV_ADDR_REMOVE ||
             w == WV_EV_ROUTE_CHANGE;
  }
  std::lock_guard<std::mutex> lock(rtnl_mutex_);
  rtnl_config_ = config.maps;
  rtnl_wanted_ = wanted;
}

// Everything in the rings now (merged by time), rtnetlink messages waiting, and the loss since the
// last drain: a capture.lost record per CPU whose ring refused records, at the time it refused the
// last of them, placed among the records by that time. Busy: a ring held a sixteenth of its size,
// and at least 64 KiB (a small ring under light traffic is not drained back to back).
bool Capture::Drain() {
  // A refusal this read counts and the last one did not happened after the last read began: its
  // time is at least that, even when the read caught a count whose time was not written yet.
  uint64_t read_ns = BootNs();
  std::vector<struct wv_loss> loss = object_.LossPerCpu();
  if (lost_seen_.size() < loss.size()) lost_seen_.resize(loss.size(), 0);
  pending_loss_.clear();
  for (size_t cpu = 0; cpu < loss.size(); cpu++) {
    uint64_t records = loss[cpu].records - lost_seen_[cpu];
    if (records == 0) continue;
    lost_seen_[cpu] = loss[cpu].records;
    pending_loss_.push_back({std::max<uint64_t>(loss[cpu].last_ns, last_loss_read_ns_), static_cast<uint32_t>(cpu), records});
  }
  last_loss_read_ns_ = read_ns;
  std::sort(pending_loss_.begin(), pending_loss_.end(), [](const PendingLoss& a, const PendingLoss& b) { return a.ts_ns > b.ts_ns; });
  auto add = [this](const void* record, size_t size) {
    const auto* hdr = static_cast<const struct wv_hdr*>(record);
    if (size >= sizeof(*hdr)) {
      if (!pending_loss_.empty()) AddLossUpTo(hdr->ts_ns);
      if (hdr->event < by_event_.size()) Bump(&by_event_[hdr->event]);
      Bump(&by_source_[hdr->source]);
    }
    Queue(writer_->Add(record, size));
  };
  size_t fullest = rings_.Drain(add);
  struct wv_config rtnl_config;
  bool rtnl_wanted;
  {
    std::lock_guard<std::mutex> lock(rtnl_mutex_);
    rtnl_config = rtnl_config_;
    rtnl_wanted = rtnl_wanted_;
  }
  if (rtnl_wanted && !rtnl_.IsOpen()) rtnl_.Open();
  rtnl_.Read(rtnl_config, add);
  AddLossUpTo(UINT64_MAX);
  // rtnetlink's own overflows have no time of their own: the time they were noticed
  if (uint64_t overflows = rtnl_.TakeOverflows()) {
    lost_ += overflows;
    Queue(writer_->AddLost(BootNs(), 0, overflows));
  }
  Queue(writer_->Seal());
  return fullest >= std::max<size_t>(object_.RingBytes() / 16, 64 << 10);
}

void Capture::AddLossUpTo(uint64_t before_ns) {
  while (!pending_loss_.empty() && pending_loss_.back().ts_ns <= before_ns) {
    const PendingLoss& l = pending_loss_.back();
    lost_ += l.records;
    Queue(writer_->AddLost(l.ts_ns, l.cpu, l.records));
    pending_loss_.pop_back();
  }
}

void Capture::PollLoop() {
  bool busy = false;
  while (running_) {
    // JS is behind: stop draining, so the rings fill and the kernel counts what it cannot keep
    if (in_flight_ >= max_frames_in_flight_) {
      usleep(drain_ms_ * 1000);
      continue;
    }
    // Sleeps for the interval (the programs never wake the reader: bpf/emit.bpf.h, wv_submit),
    // except after a drain that found a ring filling fast: then the next one follows at once.
    if (!busy) usleep(drain_ms_ * 1000);
    busy = Drain();
  }
}

// stats() → {records, lost, frames, bytes, events: {event id: records}, sources: {source: records}}:
// the records read from the rings and rtnetlink, by event and by the probe that made them.
Napi::Value Capture::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("records", static_cast<double>(records_));
  out.Set("lost", static_cast<double>(lost_));
  out.Set("frames", static_cast<double>(frames_));
  out.Set("bytes", static_cast<double>(bytes_));
  Napi::Object per_event = Napi::Object::New(env);
  for (const auto& ev : EventTable()) {
    uint64_t n = ev.wire < by_event_.size() ? by_event_[ev.wire].load(std::memory_order_relaxed) : 0;
    if (n) per_event.Set(ev.id, static_cast<double>(n));
  }
  out.Set("events", per_event);
  Napi::Object per_source = Napi::Object::New(env);
  for (size_t i = 0; i < std::size(kSourceNames); i++) {
    uint64_t n = by_source_[i].load(std::memory_order_relaxed);
    if (n) per_source.Set(kSourceNames[i], static_cast<double>(n));
  }
  out.Set("sources", per_source);
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
  object_.Detach();
  Drain();  // what the programs wrote before they were detached
  delivery_->stopped = std::move(deferred);
  tsfn_.Release();
  rings_.Close();
  rtnl_.Close();
  object_.Close();
  return promise;
}

}  // namespace wv

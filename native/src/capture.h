// One live capture: the BPF object loaded with the probe's plan, its programs attached, the ring
// buffer drained on a thread of its own into frames (records.h) handed to JS.
#pragma once
#include <napi.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config_map.h"
#include "plan.h"

struct bpf_object;
struct bpf_link;
struct ring_buffer;
struct btf;

namespace wv {

struct Frame {
  std::vector<uint8_t> bytes;
};

class Capture;

// What the thread-safe function carries besides the frames: whom to tell that the last one is delivered.
struct Delivery {
  Capture* capture = nullptr;
  std::unique_ptr<Napi::Promise::Deferred> stopped;
};

// Runs on the JS thread: hands one frame to the onFrame callback (env is null at teardown).
void DeliverFrame(Napi::Env env, Napi::Function on_frame, Delivery* delivery, Frame* frame);

class Capture : public Napi::ObjectWrap<Capture> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Capture(const Napi::CallbackInfo& info);
  ~Capture() override;

 private:
  friend void DeliverFrame(Napi::Env, Napi::Function, Delivery*, Frame*);
  using FrameFn = Napi::TypedThreadSafeFunction<Delivery, Frame, DeliverFrame>;

  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Reconfigure(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);

  std::string Load(const Plan& plan);
  std::string AttachFor(const CaptureConfig& config);
  void PollLoop();
  void Drain();
  static int OnRecord(void* ctx, void* data, size_t size);
  void EmitFrame(uint64_t lost);
  uint64_t LostTotal() const;
  std::vector<std::pair<std::string, uint64_t>> Submitted() const;
  void Teardown();

  // options
  uint32_t ring_bytes_ = 1u << 22;
  uint32_t drain_ms_ = 5;
  uint32_t max_frame_bytes_ = 1u << 20;
  uint32_t max_frames_in_flight_ = 64;
  std::string cgroup_path_;
  std::vector<ProbeKind> avoid_;  // kinds treated as unavailable (tests of the fallbacks)

  Plan plan_;
  struct btf* vmlinux_ = nullptr;
  struct bpf_object* obj_ = nullptr;
  struct ring_buffer* rb_ = nullptr;
  int cgroup_fd_ = -1;
  std::vector<struct bpf_link*> links_;
  std::vector<bool> attached_;  // per group
  int ncpus_ = 1;

  Napi::FunctionReference on_frame_;
  Delivery* delivery_ = nullptr;
  FrameFn tsfn_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  bool started_ = false;
  bool stopped_ = false;

  // poll thread only
  std::vector<uint8_t> frame_;
  uint32_t frame_records_ = 0;
  uint64_t lost_seen_ = 0;

  // stats, written by the poll thread
  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> lost_{0};
  std::atomic<uint64_t> frames_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint32_t> in_flight_{0};
  std::vector<std::pair<std::string, uint64_t>> submitted_at_stop_;
};

}  // namespace wv

// One live capture: the BPF object loaded with the probe's plan, its programs attached, the ring
// buffers (one per CPU) drained on a thread of its own into frames (records.h) handed to JS.
#pragma once
#include <napi.h>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "config_map.h"
#include "frame_writer.h"
#include "loaded_object.h"
#include "plan.h"
#include "ring_reader.h"
#include "rtnetlink.h"

namespace wv {

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

  std::vector<bool> GroupsFor(const CaptureConfig& config) const;
  void PollLoop();
  // true when a ring held enough that the next drain should not wait
  bool Drain();
  void Queue(std::unique_ptr<Frame> frame);

  // options
  uint32_t ring_bytes_ = 0;  // per CPU; 0: LoadedObject's default for the CPUs online
  uint32_t drain_ms_ = 5;
  // onFrame is done with each frame when it returns: its buffer is detached then, which frees the bytes
  // at once instead of whenever the buffer is collected
  bool lend_frames_ = false;
  uint32_t max_frame_bytes_ = 1u << 20;
  uint32_t max_frames_in_flight_ = 64;
  std::string cgroup_path_;
  std::vector<ProbeKind> avoid_;  // kinds treated as unavailable (tests of the fallbacks)

  LoadedObject object_;
  RingReader rings_;

  Napi::FunctionReference on_frame_;
  Delivery* delivery_ = nullptr;
  FrameFn tsfn_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  bool started_ = false;
  bool stopped_ = false;

  // poll thread only (and Stop, after the thread is joined)
  std::unique_ptr<FrameWriter> writer_;
  std::vector<uint64_t> lost_seen_;  // per possible CPU: the wv_lost count already reported
  uint64_t last_loss_read_ns_ = 0;   // when the drain before this one read wv_lost
  RtnlMonitor rtnl_;
  // Adds the loss since the last drain, one capture.lost record per CPU that had any, at the time
  // of its last refused record; `before_ns`: only those up to it (UINT64_MAX: all that are left).
  void AddLossUpTo(uint64_t before_ns);
  struct PendingLoss {
    uint64_t ts_ns;
    uint32_t cpu;
    uint64_t records;
  };
  std::vector<PendingLoss> pending_loss_;  // sorted by time, latest first

  // the configuration rtnetlink records are filtered with in user space (written by the JS thread)
  void SetRtnlConfig(const CaptureConfig& config);
  std::mutex rtnl_mutex_;
  struct wv_config rtnl_config_ = {};
  bool rtnl_wanted_ = false;

  // stats, written by the poll thread
  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> lost_{0};
  std::atomic<uint64_t> frames_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint32_t> in_flight_{0};
  // records read, by event number and by source number (the header's `event` and `source`);
  // written by the poll thread only
  std::array<std::atomic<uint64_t>, WV_EVENT_WORDS * 64> by_event_{};
  std::array<std::atomic<uint64_t>, 256> by_source_{};
};

}  // namespace wv

// The capture configuration as JS hands it (already validated by the TS façade) and its writing
// into the BPF maps of config.h.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include "records.h"
#include "config.h"
}

struct bpf_object;

namespace wv {

struct CaptureConfig {
  struct wv_config maps = {};
  std::vector<uint32_t> pids;
  std::vector<std::string> comms;
  std::vector<uint16_t> events;  // wire numbers enabled
};

// Reads {events, addrs, ports, pids, comms, probeEvery}; on a bad value throws a JS TypeError and
// returns false.
bool ReadConfig(const Napi::Env& env, const Napi::Value& value, CaptureConfig* out);

// Writes the configuration into the loaded object's maps; returns 0 or a negative errno.
int WriteConfig(struct bpf_object* obj, const CaptureConfig& config);

}  // namespace wv

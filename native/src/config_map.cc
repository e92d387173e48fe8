#include "config_map.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstring>

namespace wv {
namespace {

bool Fail(const Napi::Env& env, const std::string& message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return false;
}

bool Uint(const Napi::Env& env, const Napi::Object& o, const char* key, uint32_t max, uint32_t* out) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) return Fail(env, std::string("Expected \"") + key + "\" to be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= max) || d != static_cast<uint32_t>(d))
    return Fail(env, std::string("Expected \"") + key + "\" to be an integer from 0 to " + std::to_string(max));
  *out = static_cast<uint32_t>(d);
  return true;
}

bool Array(const Napi::Env& env, const Napi::Object& o, const char* key, uint32_t max, Napi::Array* out) {
  Napi::Value v = o.Get(key);
  if (!v.IsArray()) return Fail(env, std::string("Expected \"") + key + "\" to be an array");
  *out = v.As<Napi::Array>();
  if (out->Length() > max) return Fail(env, std::string("Expected at most ") + std::to_string(max) + " \"" + key + "\"");
  return true;
}

// Deletes every key of a hash map (used before refilling the pid and comm filters).
void ClearMap(int fd, size_t key_size) {
  std::vector<uint8_t> key(key_size), next(key_size);
  while (bpf_map_get_next_key(fd, nullptr, next.data()) == 0) {
    if (bpf_map_delete_elem(fd, next.data()) != 0) break;
  }
}

}  // namespace

bool ReadConfig(const Napi::Env& env, const Napi::Value& value, CaptureConfig* out) {
  if (!value.IsObject()) return Fail(env, "Expected the capture config to be an object");
  Napi::Object o = value.As<Napi::Object>();
  Napi::Array events, addrs, ports, pids, comms;
  if (!Array(env, o, "events", WV_EVENT_WORDS * 64, &events) || !Array(env, o, "addrs", WV_ADDR_FILTERS_MAX, &addrs) ||
      !Array(env, o, "ports", WV_PORT_FILTERS_MAX, &ports) || !Array(env, o, "pids", WV_PIDS_MAX, &pids) ||
      !Array(env, o, "comms", WV_COMMS_MAX, &comms) || !Uint(env, o, "probeEvery", 1u << 30, &out->maps.probe_every))
    return false;
  for (uint32_t i = 0; i < events.Length(); i++) {
    Napi::Object holder = Napi::Object::New(env);
    holder.Set("event", events.Get(i));
    uint32_t wire;
    if (!Uint(env, holder, "event", WV_EVENT_WORDS * 64 - 1, &wire)) return false;
    out->maps.events[wire / 64] |= 1ull << (wire % 64);
    out->events.push_back(static_cast<uint16_t>(wire));
  }
  for (uint32_t i = 0; i < addrs.Length(); i++) {
    if (!addrs.Get(i).IsObject()) return Fail(env, "Expected every address filter to be an object");
    Napi::Object a = addrs.Get(i).As<Napi::Object>();
    struct wv_addr_filter& f = out->maps.addrs[i];
    uint32_t type, dirs, family, prefix;
    if (!Uint(env, a, "type", 1, &type) || !Uint(env, a, "directions", 3, &dirs) || !Uint(env, a, "family", 10, &family) ||
        !Uint(env, a, "prefixLen", 128, &prefix))
      return false;
    Napi::Value bytes = a.Get("addr");
    if (!bytes.IsTypedArray() || bytes.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
        bytes.As<Napi::Uint8Array>().ElementLength() != 16)
      return Fail(env, "Expected \"addr\" to be a Uint8Array of 16 bytes");
    memcpy(f.addr, bytes.As<Napi::Uint8Array>().Data(), 16);
    if (family != 2 && family != 10) return Fail(env, "Expected \"family\" to be 2 (AF_INET) or 10 (AF_INET6)");
    f.type = type;
    f.directions = dirs;
    f.family = family;
    f.prefix_len = prefix;
  }
  out->maps.addr_count = addrs.Length();
  for (uint32_t i = 0; i < ports.Length(); i++) {
    if (!ports.Get(i).IsObject()) return Fail(env, "Expected every port filter to be an object");
    Napi::Object p = ports.Get(i).As<Napi::Object>();
    struct wv_port_filter& f = out->maps.ports[i];
    uint32_t type, dirs, lo, hi;
    if (!Uint(env, p, "type", 1, &type) || !Uint(env, p, "directions", 3, &dirs) || !Uint(env, p, "lo", 65535, &lo) ||
        !Uint(env, p, "hi", 65535, &hi))
      return false;
    f.type = type;
    f.directions = dirs;
    f.lo = lo;
    f.hi = hi;
  }
  out->maps.port_count = ports.Length();
  for (uint32_t i = 0; i < pids.Length(); i++) {
    Napi::Object holder = Napi::Object::New(env);
    holder.Set("pid", pids.Get(i));
    uint32_t pid;
    if (!Uint(env, holder, "pid", 0x3fffffff, &pid)) return false;
    out->pids.push_back(pid);
  }
  for (uint32_t i = 0; i < comms.Length(); i++) {
    if (!comms.Get(i).IsString()) return Fail(env, "Expected every comm to be a string");
    std::string comm = comms.Get(i).As<Napi::String>().Utf8Value();
    if (comm.empty() || comm.size() > 15) return Fail(env, "Expected every comm to have 1 to 15 bytes");
    out->comms.push_back(comm);
  }
  out->maps.pid_filter = !out->pids.empty();
  out->maps.comm_filter = !out->comms.empty();
  return true;
}

int WriteConfig(struct bpf_object* obj, const CaptureConfig& config) {
  int cfg = bpf_object__find_map_fd_by_name(obj, "wv_config");
  int pids = bpf_object__find_map_fd_by_name(obj, "wv_pids");
  int comms = bpf_object__find_map_fd_by_name(obj, "wv_comms");
  if (cfg < 0 || pids < 0 || comms < 0) return -ENOENT;
  // filters first, so that a narrower config never lets through what the old one would not
  ClearMap(pids, sizeof(uint32_t));
  ClearMap(comms, sizeof(struct wv_comm_key));
  uint8_t one = 1;
  for (uint32_t pid : config.pids) {
    if (bpf_map_update_elem(pids, &pid, &one, BPF_ANY) != 0) return -errno;
  }
  for (const auto& comm : config.comms) {
    struct wv_comm_key key = {};
    memcpy(key.comm, comm.data(), comm.size());
    if (bpf_map_update_elem(comms, &key, &one, BPF_ANY) != 0) return -errno;
  }
  uint32_t zero = 0;
  return bpf_map_update_elem(cfg, &zero, &config.maps, BPF_ANY) == 0 ? 0 : -errno;
}

}  // namespace wv

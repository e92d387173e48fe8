// wireview_capture.node: probe(), kernelNames(), setPipeSize() and the Capture class.
// Every failure is a thrown JS error (C++ exceptions are off).
#include <bpf/btf.h>
#include <fcntl.h>
#include <napi.h>

#include <cerrno>

#include "capture.h"
#include "features.h"
#include "kernel_names.h"
#include "loaded_object.h"
#include "plan.h"

namespace wv {
namespace {

Napi::Object FeatureObject(Napi::Env env, const Feature& f) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ok", f.ok);
  if (!f.ok) o.Set("why", f.why);
  return o;
}

// probe({load}?) → {features: {name: {ok, why?}}, events: [{id, wire, sources: [label…], helpers: [label…], why?}],
// refused: [label: why…]}. With load, the plan is loaded into the kernel (not attached) so that tiers
// its verifier refuses are reported with their fallback, as a capture would use them.
Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool load = info.Length() > 0 && info[0].IsObject() && info[0].As<Napi::Object>().Get("load").ToBoolean().Value();
  struct btf* vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux) vmlinux = nullptr;
  Features f = ProbeFeatures(vmlinux);
  Plan plan = MakePlan(f, vmlinux);
  std::vector<Refusal> refused;
  if (load && f.btf.ok && f.ringbuf.ok) {
    LoadedObject trial;
    if (trial.LoadBest(f, vmlinux, {}, 4096 * 16, &refused).empty()) plan = trial.plan();
  }
  btf__free(vmlinux);

  Napi::Object features = Napi::Object::New(env);
  features.Set("btf", FeatureObject(env, f.btf));
  features.Set("ringbuf", FeatureObject(env, f.ringbuf));
  features.Set("fentry", FeatureObject(env, f.fentry));
  features.Set("kprobe", FeatureObject(env, f.kprobe));
  features.Set("tp_btf", FeatureObject(env, f.tp_btf));
  features.Set("raw_tp", FeatureObject(env, f.raw_tp));
  features.Set("tracepoint", FeatureObject(env, f.tracepoint));
  features.Set("cgroup_skb", FeatureObject(env, f.cgroup_skb));
  features.Set("cgroup_sock", FeatureObject(env, f.cgroup_sock));

  const auto& groups = Groups();
  const auto& table = EventTable();
  Napi::Array events = Napi::Array::New(env, table.size());
  for (size_t i = 0; i < table.size(); i++) {
    const EventSources& ev = table[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("id", ev.id);
    o.Set("wire", ev.wire);
    Napi::Array sources = Napi::Array::New(env);
    Napi::Array helpers = Napi::Array::New(env);
    std::string why = ev.without_bpf;
    for (int g : ev.groups) {
      if (plan.groups[g].tier >= 0) sources.Set(sources.Length(), groups[g].tiers[plan.groups[g].tier].label);
      else why += (why.empty() ? "" : "; ") + plan.groups[g].why;
    }
    for (int g : ev.helpers) {
      if (plan.groups[g].tier >= 0) helpers.Set(helpers.Length(), groups[g].tiers[plan.groups[g].tier].label);
    }
    o.Set("sources", sources);
    o.Set("helpers", helpers);
    if (sources.Length() == 0) o.Set("why", why);
    events.Set(i, o);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("features", features);
  out.Set("events", events);
  Napi::Array refusals = Napi::Array::New(env, refused.size());
  for (size_t i = 0; i < refused.size(); i++) refusals.Set(i, refused[i].label + ": " + refused[i].why);
  out.Set("refused", refusals);
  return out;
}

// kernelNames() → {dropReasons: string[], tcpStates: string[]}, index = the kernel's number
Napi::Value Names(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct btf* vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux) vmlinux = nullptr;
  KernelNames names = ReadKernelNames(vmlinux);
  btf__free(vmlinux);
  Napi::Object out = Napi::Object::New(env);
  Napi::Array drops = Napi::Array::New(env, names.drop_reasons.size());
  for (size_t i = 0; i < names.drop_reasons.size(); i++) drops.Set(i, names.drop_reasons[i]);
  Napi::Array states = Napi::Array::New(env, names.tcp_states.size());
  for (size_t i = 0; i < names.tcp_states.size(); i++) states.Set(i, names.tcp_states[i]);
  out.Set("dropReasons", drops);
  out.Set("tcpStates", states);
  return out;
}

// setPipeSize(fd, bytes) → the pipe's size after the call, or -errno (not a pipe, not allowed)
Napi::Value SetPipeSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "Expected (fd, bytes)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int fd = info[0].As<Napi::Number>().Int32Value();
  int bytes = info[1].As<Napi::Number>().Int32Value();
  int size = fcntl(fd, F_SETPIPE_SZ, bytes);
  return Napi::Number::New(env, size < 0 ? -errno : size);
}

}  // namespace
}  // namespace wv

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  exports.Set("probe", Napi::Function::New<wv::Probe>(env, "probe"));
  exports.Set("kernelNames", Napi::Function::New<wv::Names>(env, "kernelNames"));
  exports.Set("setPipeSize", Napi::Function::New<wv::SetPipeSize>(env, "setPipeSize"));
  exports.Set("Capture", wv::Capture::Define(env));
  return exports;
}

NODE_API_MODULE(wireview_capture, InitAddon)

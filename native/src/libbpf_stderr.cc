// The `stderr` of the statically linked libbpf (see build/build-native.mjs): its one direct reference
// to glibc's variable is renamed to this hidden one, which a shared object may hold, and which
// points to the same stream before any libbpf code can run.
#include <cstdio>

extern "C" {
__attribute__((visibility("hidden"))) FILE* wv_libbpf_stderr = nullptr;
}

namespace {
[[gnu::constructor]] void SetLibbpfStderr() { wv_libbpf_stderr = stderr; }
}  // namespace

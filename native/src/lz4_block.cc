// wireview_lz4.node: compressBlock(), LZ4 block compression by Debian's liblz4 for the trace
// writer of a live capture (renderer/engine/formats/arrow/lz4-codec.ts frames the blocks; its
// pure JS compressor stays the one used where this addon is not loaded). About 3x less CPU than
// the JS compressor on a capture's columns (docs/capture.md "Cost").
#include <lz4.h>
#include <napi.h>

namespace {

bool IsBytes(const Napi::Value& v) {
  return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
}

// compressBlock(src, start, end, dst, at) → end of the output in dst, or -1 when the block would not be
// smaller than src[start, end) (the caller stores it uncompressed), as lz4CompressBlock in lz4-block.ts.
Napi::Value CompressBlock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !IsBytes(info[0]) || !IsBytes(info[3]) || !info[1].IsNumber() || !info[2].IsNumber() || !info[4].IsNumber()) {
    Napi::TypeError::New(env, "compressBlock(src: Uint8Array, start, end, dst: Uint8Array, at)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Uint8Array src = info[0].As<Napi::Uint8Array>();
  Napi::Uint8Array dst = info[3].As<Napi::Uint8Array>();
  const int64_t start = info[1].As<Napi::Number>().Int64Value();
  const int64_t end = info[2].As<Napi::Number>().Int64Value();
  const int64_t at = info[4].As<Napi::Number>().Int64Value();
  if (start < 0 || end < start || static_cast<uint64_t>(end) > src.ElementLength() || at < 0 ||
      static_cast<uint64_t>(at) > dst.ElementLength() || end - start > LZ4_MAX_INPUT_SIZE) {
    Napi::RangeError::New(env, "compressBlock: range outside its arrays").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const int64_t length = end - start;
  const int64_t room = static_cast<int64_t>(dst.ElementLength()) - at;
  // Only an output smaller than the input is worth it: LZ4 stops (returns 0) when it would not fit.
  const int capacity = static_cast<int>(length - 1 < room ? length - 1 : room);
  if (capacity <= 0) return Napi::Number::New(env, -1);
  const int written = LZ4_compress_default(reinterpret_cast<const char*>(src.Data() + start), reinterpret_cast<char*>(dst.Data() + at),
                                           static_cast<int>(length), capacity);
  return Napi::Number::New(env, written > 0 ? static_cast<double>(at + written) : -1.0);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("compressBlock", Napi::Function::New(env, CompressBlock));
  return exports;
}

}  // namespace

NODE_API_MODULE(wireview_lz4, Init)

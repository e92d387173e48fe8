#include "frame_writer.h"

#include <algorithm>
#include <cstring>

extern "C" {
#include "records.h"
}

namespace wv {
namespace {

void Append(std::vector<uint8_t>* out, const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

}  // namespace

// The next frame's buffer is reserved at the size of the last one (up to the limit): filling it
// then never regrows and recopies it, which a frame of hundreds of KiB otherwise does a dozen times.
void FrameWriter::Reset(size_t last_bytes) {
  size_t expect = last_bytes + last_bytes / 4;
  bytes_ = std::vector<uint8_t>();
  bytes_.reserve(std::min<size_t>(std::max<size_t>(expect, 4096), max_bytes_ + sizeof(struct wv_rec_lost)));
  bytes_.resize(sizeof(struct wv_frame_hdr));
  records_ = 0;
  lost_records_ = 0;
  lost_ = 0;
}

std::unique_ptr<Frame> FrameWriter::Add(const void* record, size_t size) {
  const auto* hdr = static_cast<const struct wv_hdr*>(record);
  if (size < sizeof(*hdr) || size % WV_RECORD_ALIGN != 0 || hdr->size_bytes != size) return nullptr;
  std::unique_ptr<Frame> full = SealIfFull(size);
  Append(&bytes_, record, size);
  records_++;
  return full;
}

std::unique_ptr<Frame> FrameWriter::AddLost(uint64_t ts_ns, uint32_t cpu, uint64_t records) {
  struct wv_rec_lost rec = {};
  std::unique_ptr<Frame> full = SealIfFull(sizeof(rec));
  rec.hdr.ts_ns = ts_ns;
  rec.hdr.cpu = cpu;
  rec.hdr.event = WV_EV_CAPTURE_LOST;
  rec.hdr.size_bytes = sizeof(rec);
  rec.hdr.kind = WV_REC_LOST;
  rec.lost_records = records;
  Append(&bytes_, &rec, sizeof(rec));
  lost_records_++;
  lost_ += records;
  return full;
}

std::unique_ptr<Frame> FrameWriter::SealIfFull(size_t more) {
  return bytes_.size() + more > max_bytes_ && records_ + lost_records_ > 0 ? Seal() : nullptr;
}

std::unique_ptr<Frame> FrameWriter::Seal() {
  if (records_ == 0 && lost_records_ == 0) return nullptr;
  auto frame = std::make_unique<Frame>();
  frame->records = records_;
  struct wv_frame_hdr h = {};
  h.magic = WV_ABI_MAGIC;
  h.abi_major = WV_ABI_MAJOR;
  h.abi_minor = WV_ABI_MINOR;
  h.record_count = records_ + lost_records_;
  h.records_bytes = bytes_.size() - sizeof(h);
  h.lost_records = lost_;
  memcpy(bytes_.data(), &h, sizeof(h));
  size_t sealed = bytes_.size();
  frame->bytes = std::move(bytes_);
  Reset(sealed);
  return frame;
}

}  // namespace wv

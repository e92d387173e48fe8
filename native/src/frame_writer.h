// Collects ring-buffer records into frames of records.h (wv_frame_hdr + records), the unit that
// crosses every process boundary. Used by the poll thread only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace wv {

struct Frame {
  std::vector<uint8_t> bytes;
  uint32_t records = 0;  // records from the kernel (a capture.lost record is not counted)
};

class FrameWriter {
 public:
  explicit FrameWriter(uint32_t max_bytes) : max_bytes_(max_bytes) { Reset(0); }

  // Appends one record; when it would not fit, first seals and returns the frame filled so far.
  // Records that are not whole wv_hdr records (never written by our programs) are skipped.
  std::unique_ptr<Frame> Add(const void* record, size_t size);

  // Seals the frame being filled, adding a capture.lost record when `lost` > 0; null when empty.
  std::unique_ptr<Frame> Seal(uint64_t lost);

 private:
  // Starts an empty frame, its buffer reserved for about `last_bytes` (the frame sealed before).
  void Reset(size_t last_bytes);

  uint32_t max_bytes_;
  std::vector<uint8_t> bytes_;
  uint32_t records_ = 0;
};

}  // namespace wv

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

  // Appends a capture.lost record: `records` that `cpu`'s ring could not take, the last at `ts_ns`
  // (CLOCK_BOOTTIME); the frame's header counts them too. Seals first, like Add, when it would not fit.
  std::unique_ptr<Frame> AddLost(uint64_t ts_ns, uint32_t cpu, uint64_t records);

  // Seals the frame being filled; null when it holds nothing.
  std::unique_ptr<Frame> Seal();

 private:
  // The frame so far, sealed, when `more` bytes would take it past the limit; else null.
  std::unique_ptr<Frame> SealIfFull(size_t more);

  // Starts an empty frame, its buffer reserved for about `last_bytes` (the frame sealed before).
  void Reset(size_t last_bytes);

  uint32_t max_bytes_;
  std::vector<uint8_t> bytes_;
  uint32_t records_ = 0;  // from the kernel
  uint32_t lost_records_ = 0;  // capture.lost records in the frame
  uint64_t lost_ = 0;  // what they count
};

}  // namespace wv

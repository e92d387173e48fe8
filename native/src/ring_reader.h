// The capture's ring buffers, one per CPU, read directly from their mappings and merged by time: each
// drain hands every committed record of every ring to `on_record` in timestamp order (a record's
// wv_hdr starts with its ts_ns), so that frames stay nearly in time order, as with one shared ring.
// Used by the poll thread only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wv {

class RingReader {
 public:
  RingReader() = default;
  RingReader(const RingReader&) = delete;
  RingReader& operator=(const RingReader&) = delete;
  ~RingReader() { Close(); }

  // Maps the rings (BPF_MAP_TYPE_RINGBUF fds, each `bytes` long); "" or why not.
  std::string Open(const std::vector<int>& fds, uint32_t bytes);
  void Close();

  // Every record committed in every ring now, oldest first. The space read goes back to the
  // producers every 64 KiB of a ring, not only at the end. Returns the most bytes taken from one ring.
  size_t Drain(const std::function<void(const void*, size_t)>& on_record);

 private:
  struct Ring {
    uint64_t* consumer = nullptr;        // the page the kernel reads our position from (ours to write)
    const uint64_t* producer = nullptr;  // the kernel's position (read-only)
    const uint8_t* data = nullptr;       // the data area, mapped twice so that no record wraps
    uint64_t mask = 0;
    // this drain: the next record and where committed records end
    uint64_t pos = 0;
    uint64_t end = 0;
    uint64_t start = 0;      // where this drain began
    uint64_t published = 0;  // the position last given back
  };
  // The record at `r.pos` if it is committed (skipping discarded ones): its body and size, or null.
  static const uint8_t* Head(Ring& r, size_t* size);
  // Gives the space up to `r.pos` back to the producers.
  static void Publish(Ring& r);

  // A ring's next record in this drain: its time, body and size.
  struct HeadRef {
    uint64_t ts;
    size_t ring;
    const uint8_t* rec;
    size_t size;
  };

  std::vector<Ring> rings_;
  std::vector<HeadRef> heads_;  // the merge's heap, kept between drains
  size_t page_ = 4096;
};

}  // namespace wv

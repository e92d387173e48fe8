#include "ring_reader.h"

#include <linux/bpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace wv {
namespace {

// The kernel publishes a record's header, then its producer position, with release semantics.
uint64_t LoadAcquire(const uint64_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
uint32_t LoadAcquire(const uint32_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }

// The bits the kernel keeps in a record header's length (include/uapi/linux/bpf.h).
constexpr uint32_t kBusy = BPF_RINGBUF_BUSY_BIT;
constexpr uint32_t kDiscard = BPF_RINGBUF_DISCARD_BIT;
constexpr uint32_t kHeader = BPF_RINGBUF_HDR_SZ;

constexpr uint64_t kPublishBytes = 64 << 10;

uint64_t TsOf(const uint8_t* record, size_t size) {
  uint64_t ts = 0;
  if (size >= sizeof(ts)) memcpy(&ts, record, sizeof(ts));
  return ts;
}

}  // namespace

std::string RingReader::Open(const std::vector<int>& fds, uint32_t bytes) {
  Close();
  page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  for (int fd : fds) {
    Ring r;
    void* consumer = mmap(nullptr, page_, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (consumer == MAP_FAILED) {
      std::string why = strerror(errno);
      Close();
      return "cannot map a ring buffer: " + why;
    }
    r.consumer = static_cast<uint64_t*>(consumer);
    // the producer page, then the data twice
    void* producer = mmap(nullptr, page_ + 2 * static_cast<size_t>(bytes), PROT_READ, MAP_SHARED, fd, static_cast<off_t>(page_));
    if (producer == MAP_FAILED) {
      std::string why = strerror(errno);
      munmap(consumer, page_);
      Close();
      return "cannot map a ring buffer: " + why;
    }
    r.producer = static_cast<const uint64_t*>(producer);
    r.data = static_cast<const uint8_t*>(producer) + page_;
    r.mask = bytes - 1;
    rings_.push_back(r);
  }
  return "";
}

void RingReader::Close() {
  for (Ring& r : rings_) {
    size_t bytes = r.mask + 1;
    munmap(r.consumer, page_);
    munmap(const_cast<uint64_t*>(r.producer), page_ + 2 * bytes);
  }
  rings_.clear();
}

void RingReader::Publish(Ring& r) {
  __atomic_store_n(r.consumer, r.pos, __ATOMIC_RELEASE);
  r.published = r.pos;
}

const uint8_t* RingReader::Head(Ring& r, size_t* size) {
  while (r.pos < r.end) {
    const uint8_t* hdr = r.data + (r.pos & r.mask);
    uint32_t len = LoadAcquire(reinterpret_cast<const uint32_t*>(hdr));
    if (len & kBusy) {
      r.end = r.pos;  // still being written: it and what follows wait for the next drain
      return nullptr;
    }
    if (len & kDiscard) {
      r.pos += (static_cast<uint64_t>(len & ~kDiscard) + kHeader + 7) & ~7ull;
      continue;
    }
    *size = len;
    return hdr + kHeader;
  }
  return nullptr;
}

size_t RingReader::Drain(const std::function<void(const void*, size_t)>& on_record) {
  // Heads of the rings with a record, smallest ts first (a min-heap: few rings, few compares).
  // Heads of the rings with a record, smallest ts first (a min-heap: few rings, few compares).
  auto later = [](const HeadRef& a, const HeadRef& b) { return a.ts > b.ts; };
  heads_.clear();
  for (size_t i = 0; i < rings_.size(); i++) {
    Ring& r = rings_[i];
    r.start = r.pos = r.published = *r.consumer;  // only we write it
    r.end = LoadAcquire(r.producer);
    HeadRef h{0, i, nullptr, 0};
    if ((h.rec = Head(r, &h.size))) {
      h.ts = TsOf(h.rec, h.size);
      heads_.push_back(h);
    }
  }
  std::make_heap(heads_.begin(), heads_.end(), later);
  while (!heads_.empty()) {
    std::pop_heap(heads_.begin(), heads_.end(), later);
    HeadRef& h = heads_.back();
    Ring& r = rings_[h.ring];
    on_record(h.rec, h.size);
    r.pos += (static_cast<uint64_t>(h.size) + kHeader + 7) & ~7ull;
    // a long drain frees space as it goes (one store per 64 KiB, not per record: the producers read this line)
    if (r.pos - r.published >= kPublishBytes) Publish(r);
    if ((h.rec = Head(r, &h.size))) {
      h.ts = TsOf(h.rec, h.size);
      std::push_heap(heads_.begin(), heads_.end(), later);
    } else {
      heads_.pop_back();
    }
  }
  size_t fullest = 0;
  for (Ring& r : rings_) {
    fullest = std::max(fullest, static_cast<size_t>(r.pos - r.start));
    Publish(r);
  }
  return fullest;
}

}  // namespace wv

// Names the running kernel gives to numbers that differ between kernels, read from its BTF.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

struct btf;

namespace wv {

struct KernelNames {
  // enum skb_drop_reason without its SKB_DROP_REASON_ prefix, index = value ("" for gaps)
  std::vector<std::string> drop_reasons;
  // TCP_ESTABLISHED… without the TCP_ prefix, index = state number
  std::vector<std::string> tcp_states;
};

KernelNames ReadKernelNames(const struct btf* vmlinux);

// The drop.* event (enum wv_event) of a drop reason name; 0 = not a drop (NOT_DROPPED_YET, CONSUMED).
uint16_t DropEventOf(const std::string& reason);

}  // namespace wv

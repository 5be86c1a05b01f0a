#pragma once
// Reads a structured fuzz input: each action is chosen by one byte and takes its arguments from
// the bytes after it. Past the end every byte reads as 0, so any input is a whole script.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sio::fuzz {

class input {
 public:
  input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return done() ? 0 : data_[pos_++]; }
  // A number below `n` (n > 0).
  std::size_t pick(std::size_t n) { return byte() % n; }
  // A length byte, then up to that many bytes.
  std::string_view bytes() {
    const std::size_t len = std::min<std::size_t>(byte(), size_ - std::min(pos_, size_));
    const std::string_view out(reinterpret_cast<const char*>(data_) + pos_, len);
    pos_ += len;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace sio::fuzz

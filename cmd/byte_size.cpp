#include "cmd/byte_size.hpp"

#include <fmt/core.h>

namespace sio::cmd {

std::string format_bytes(std::size_t n) {
  if (n < 1000) return fmt::format("{} B", n);
  double v = static_cast<double>(n) / 1000;
  for (const char* unit : {"kB", "MB", "GB"}) {
    // Move up a unit when rounding to one decimal would print 1000.0.
    if (v < 999.95) return fmt::format("{:.1f} {}", v, unit);
    v /= 1000;
  }
  return fmt::format("{:.1f} TB", v);
}

std::string exceeds_max_payload(std::size_t size, std::size_t limit) {
  return fmt::format("{} message exceeds the server's maxPayload of {}", format_bytes(size), format_bytes(limit));
}

}  // namespace sio::cmd

#pragma once
// The progress line of `sio bench` on stderr, e.g.
//   sio bench echo 12s measure  48.2k msg/s  p50 0.41 p99 2.1 max 9.8 ms  conns 1000/1000  errors 0
// On a terminal it is rewritten in place every second and must never wrap (a wrapped line
// leaves a trail that \r cannot erase): fields are dropped, least useful first (max, p50, the
// connections, the errors, p99), until it fits the width.
#include <cstddef>
#include <string>

#include "core/bench/runner.hpp"

namespace sio::cmd {

struct progress_context {
  std::string scenario;  // "echo", "broadcast", "connect", "idle"
  unsigned clients = 0;  // connections asked for (not shown for connect: they come and go)
};

// The line for one sample, at most `width` characters (0: no limit).
std::string progress_line(const progress_context& c, const bench::sample& s, std::size_t width);

// The columns of the terminal on `fd`, or `fallback` when it is not one or does not say.
std::size_t terminal_columns(int fd, std::size_t fallback);

}  // namespace sio::cmd

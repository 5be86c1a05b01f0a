#pragma once
#include <string>
#include <string_view>

namespace sio::cmd {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;        // connect refused, connect_error, timeout, ...
inline constexpr int exit_usage = 2;          // bad flags or arguments
inline constexpr int exit_interrupted = 130;  // SIGINT

// CLI11's messages may span lines and end with their own hint; keep the first sentence on one line.
inline std::string one_line(std::string_view message) {
  std::string out(message.substr(0, message.find('\n')));
  if (auto hint = out.find(" Run with --help"); hint != std::string::npos) out.erase(hint);
  return out;
}

}  // namespace sio::cmd

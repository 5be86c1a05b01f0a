#pragma once
// Event arguments as written on a command line or an input line: valid JSON is taken as
// JSON, anything else as a string; {"$binary":"<base64>"} (anywhere inside) and @FILE are
// binary.
#include <string>
#include <string_view>
#include <vector>

namespace sio::cmd {

struct event_args {
  std::vector<std::string> json;         // one raw JSON value per argument
  std::vector<std::string> attachments;  // indexed by the placeholders in `json`
};

// Throws std::invalid_argument with a message for a file that cannot be read or bad $binary.
void add_arg(event_args& out, std::string_view text);
event_args parse_args(const std::vector<std::string>& texts);

}  // namespace sio::cmd

#pragma once
// What a line typed into `sio connect` (or piped into it) means.
//
//   EVENT [ARG...]           emit; each ARG is JSON if it parses, else a string; a JSON value
//                            may contain spaces: chat {"a": 1} "two words"
//   ["EVENT", ARG...]        the same, as one JSON array
//   /ack EVENT [ARG...]      emit and wait for the ack
//   /join NSP [AUTH]         connect to another namespace (AUTH: a JSON object)
//   /leave NSP               leave a namespace
//   /nsp NSP                 send the following emits to NSP
//   /help, /quit
// Blank lines and lines starting with # are ignored.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sio::cmd {

enum class line_kind { none, emit, ack, join, leave, use_nsp, help, quit, error };

struct input_line {
  line_kind kind = line_kind::none;
  std::string event;              // emit, ack
  std::vector<std::string> args;  // the argument texts, for add_arg(); join: the auth
  std::string nsp;                // join, leave, use_nsp
  std::string error;              // error: what is wrong
};

// Splits on whitespace, keeping JSON strings, objects and arrays whole.
std::vector<std::string> split_words(std::string_view line);
input_line parse_input_line(std::string_view line);

}  // namespace sio::cmd

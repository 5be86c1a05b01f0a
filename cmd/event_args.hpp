#pragma once
// Event arguments as written on a command line or an input line, in four forms:
//   detect (a bare ARG, --ack-with, a word of a sio connect line):
//            @@TEXT is the string @TEXT; @- is stdin and @PATH a file, as one binary argument;
//            text that starts like JSON ({ [ ") must be valid JSON; other valid JSON is JSON,
//            anything else a string
//   string   (--arg): always the string, exactly as written
//   json     (--json-arg): must be valid JSON
//   file     (--file-arg): the file's bytes, binary; - is stdin
// {"$binary":"<base64>"} anywhere inside JSON is binary too.
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace sio::cmd {

enum class arg_form { detect, string, json, file };

struct arg_text {
  arg_form form = arg_form::detect;
  std::string text;
  std::string flag;  // where it came from, for errors: "ARG", "--json-arg", ...
};

struct event_args {
  std::vector<std::string> json;         // one raw JSON value per argument
  std::vector<std::string> attachments;  // indexed by the placeholders in `json`
};

// A file or stdin argument larger than this is refused: `yes | sio emit ... @-` must not eat
// the memory.
inline constexpr std::size_t max_file_arg_bytes = 16 * 1024 * 1024;

// Where @- and --file-arg - read from, and whether they may.
struct arg_input {
  std::istream* stdin_stream = nullptr;  // null: stdin is not for arguments (see stdin_refusal)
  std::string stdin_refusal;             // why, when stdin_stream is null
  std::string string_hint;               // how to send JSON-looking text as a string here
  bool stdin_used = false;               // stdin is read once
};

// Throws std::invalid_argument with a one-line message: an unreadable or too large file, stdin
// read twice or not available, invalid JSON, bad $binary.
void add_arg(event_args& out, const arg_text& arg, arg_input& input);

}  // namespace sio::cmd

#include "cmd/event_args.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "core/common/json_scan.hpp"
#include "core/socketio/binary_json.hpp"
#include "core/socketio/packet.hpp"

namespace sio::cmd {

namespace {

// Long texts are cut in messages: an error stays one readable line.
std::string shown(std::string_view text) {
  constexpr std::size_t limit = 40;
  return text.size() <= limit ? std::string(text) : std::string(text.substr(0, limit)) + "...";
}

std::string read_capped(std::istream& in, std::string_view what) {
  std::string data;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    data.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (data.size() > max_file_arg_bytes)
      throw std::invalid_argument(fmt::format("{} is larger than {} MiB", what, max_file_arg_bytes >> 20));
  }
  return data;
}

std::string read_stdin(arg_input& input) {
  if (!input.stdin_stream) throw std::invalid_argument(input.stdin_refusal);
  if (input.stdin_used) throw std::invalid_argument("stdin can be read only once (@- or --file-arg -)");
  input.stdin_used = true;
  return read_capped(*input.stdin_stream, "stdin");
}

std::string read_path(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  return read_capped(in, path);
}

void add_binary(event_args& out, std::string data) {
  out.json.push_back(socketio::placeholder_json(out.attachments.size()));
  out.attachments.push_back(std::move(data));
}

void add_json(event_args& out, std::string_view text, std::string_view hint) {
  if (!json::validate(text))
    throw std::invalid_argument(
        fmt::format("not valid JSON: {}{}", shown(text), hint.empty() ? "" : fmt::format(" ({})", hint)));
  auto converted = socketio::binary_json_to_placeholders(text, out.attachments);
  if (!converted) throw std::invalid_argument(converted.error().message());
  out.json.push_back(std::move(*converted));
}

bool looks_like_json(std::string_view text) {
  return !text.empty() && (text.front() == '{' || text.front() == '[' || text.front() == '"');
}

}  // namespace

void add_arg(event_args& out, const arg_text& arg, arg_input& input) {
  const std::string_view text = arg.text;
  switch (arg.form) {
    case arg_form::string: out.json.push_back(json::quote(text)); return;
    case arg_form::json: add_json(out, text, ""); return;
    case arg_form::file: add_binary(out, text == "-" ? read_stdin(input) : read_path(arg.text)); return;
    case arg_form::detect: break;
  }
  if (text.starts_with("@@")) {
    out.json.push_back(json::quote(text.substr(1)));
  } else if (text == "@-") {
    add_binary(out, read_stdin(input));
  } else if (text.size() > 1 && text.front() == '@') {
    add_binary(out, read_path(std::string(text.substr(1))));
  } else if (looks_like_json(text)) {
    add_json(out, text, input.string_hint);
  } else if (json::validate(text)) {
    add_json(out, text, "");
  } else {
    out.json.push_back(json::quote(text));
  }
}

}  // namespace sio::cmd

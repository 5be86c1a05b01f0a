#include "core/client/http_error.hpp"

#include <fmt/format.h>

#include <cctype>

namespace sio::client {

namespace {

constexpr std::size_t longest_excerpt = 100;

bool is_text(std::string_view content_type) {
  return content_type.empty() || content_type.starts_with("text/") || content_type.find("json") != std::string::npos;
}

// The first line with something on it, with HTML tags and runs of spaces removed.
std::string first_line(std::string_view body) {
  const bool html = body.find('<') != std::string_view::npos;
  std::string out;
  bool in_tag = false;
  for (char c : body) {
    if (html && (c == '<' || in_tag)) {
      in_tag = c != '>';
      if (!in_tag && !out.empty() && out.back() != ' ') out.push_back(' ');  // <h1>a</h1><p>b: "a b"
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (!out.empty()) break;
      continue;
    }
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (space && (out.empty() || out.back() == ' ')) continue;
    if (static_cast<unsigned char>(c) < 0x20 && !space) continue;  // no control characters on a terminal
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > longest_excerpt) {
    out.resize(longest_excerpt);
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();  // whole UTF-8
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "...";
  }
  return out;
}

}  // namespace

std::string http_error_summary(unsigned status, std::string_view reason, std::string_view content_type,
                               std::string_view body) {
  std::string out = fmt::format("HTTP {}", status);
  if (!reason.empty()) out += fmt::format(" {}", reason);
  if (is_text(content_type)) {
    const auto line = first_line(body);
    if (!line.empty()) out += fmt::format(": {}", line);
  }
  if (status == 404) out += " (is it a Socket.IO server, and is --path right?)";
  return out;
}

}  // namespace sio::client

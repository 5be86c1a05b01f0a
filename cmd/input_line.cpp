#include "cmd/input_line.hpp"

#include "core/common/json_scan.hpp"

namespace sio::cmd {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The end of the JSON string, object or array starting at `pos`, or npos if it does not close.
std::size_t json_token_end(std::string_view s, std::size_t pos) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = pos; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"') {
        in_string = false;
        if (depth == 0) return i + 1;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i >= s.size()) break;
    std::size_t end = std::string_view::npos;
    if (s[i] == '"' || s[i] == '{' || s[i] == '[') {
      end = json_token_end(s, i);
      // Only when the JSON value ends the word; `[a` or `"x"y` are plain words.
      if (end != std::string_view::npos && end < s.size() && !is_space(s[end])) end = std::string_view::npos;
    }
    if (end == std::string_view::npos) {
      end = i;
      while (end < s.size() && !is_space(s[end])) ++end;
    }
    words.emplace_back(s.substr(i, end - i));
    i = end;
  }
  return words;
}

input_line parse_input_line(std::string_view line) {
  input_line out;
  const auto first = line.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || line[first] == '#') return out;
  line = line.substr(first);

  if (line.front() == '[') {
    auto elements = json::array_elements(line);
    if (elements && !elements->empty() && elements->front().front() == '"') {
      out.kind = line_kind::emit;
      out.event = json::unquote(elements->front());
      for (std::size_t i = 1; i < elements->size(); ++i) out.args.emplace_back((*elements)[i]);
      return out;
    }
  }

  auto words = split_words(line);
  auto error = [&](std::string what) {
    out.kind = line_kind::error;
    out.error = std::move(what);
    return out;
  };
  const std::string& head = words.front();
  if (head.front() != '/' || head.size() == 1) {
    out.kind = line_kind::emit;
    out.event = head.front() == '"' ? json::unquote(head) : head;
    out.args.assign(words.begin() + 1, words.end());
    return out;
  }
  if (head == "/ack") {
    if (words.size() < 2) return error("usage: /ack EVENT [ARG...]");
    out.kind = line_kind::ack;
    out.event = words[1].front() == '"' ? json::unquote(words[1]) : words[1];
    out.args.assign(words.begin() + 2, words.end());
    return out;
  }
  if (head == "/join" || head == "/leave" || head == "/nsp") {
    if (words.size() < 2 || words[1].front() != '/') return error("usage: " + head + " /NAMESPACE");
    out.nsp = words[1];
    if (head == "/join") {
      out.kind = line_kind::join;
      if (words.size() > 2) {
        auto k = json::validate(words[2]);
        if (!k || *k != json::kind::object) return error("the auth must be a JSON object");
        out.args.push_back(words[2]);
      }
    } else {
      out.kind = head == "/leave" ? line_kind::leave : line_kind::use_nsp;
    }
    return out;
  }
  if (head == "/help") return out.kind = line_kind::help, out;
  if (head == "/quit" || head == "/exit") return out.kind = line_kind::quit, out;
  return error("unknown command " + head + " (try /help)");
}

}  // namespace sio::cmd

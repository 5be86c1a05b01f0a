#pragma once
// A validating JSON scanner that never builds a tree. Socket.IO payloads pass through the
// server as the bytes the peer sent (key order, number spelling and spacing preserved), so
// the server needs to check them and find their top-level elements, not re-serialise them.
// The scanner is iterative (an explicit stack bounded by max_depth): hostile nesting cannot
// overflow the call stack. Strings must be valid UTF-8, as JSON requires.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.hpp"

namespace sio::json {

enum class kind : std::uint8_t { null, boolean, number, string, array, object };

inline constexpr std::size_t default_max_depth = 256;

// Visitor callbacks; override the ones you need. Offsets index the scanned text;
// depth 0 is the top-level value, 1 its members, and so on.
struct visitor {
  void on_scalar(kind, std::string_view /*raw*/, std::size_t /*depth*/) {}
  void on_key(std::string_view /*raw literal with quotes*/, std::size_t /*depth*/) {}
  void on_begin(kind, std::size_t /*offset*/, std::size_t /*depth*/) {}
  void on_end(kind, std::size_t /*end offset, one past*/, std::size_t /*depth*/) {}
};

namespace detail {
// Each returns the position after the token, or npos on error (err set).
std::size_t scan_string(std::string_view text, std::size_t pos, codec_error& err);
std::size_t scan_number(std::string_view text, std::size_t pos);
std::size_t skip_ws(std::string_view text, std::size_t pos);
}  // namespace detail

// Scans exactly one JSON value (surrounding whitespace allowed) and reports it to `v`.
template <class Visitor>
error_code scan(std::string_view text, Visitor& v, std::size_t max_depth = default_max_depth) {
  using detail::skip_ws;
  constexpr auto npos = std::string_view::npos;
  std::vector<char> stack;  // '[' or '{' for each open container
  codec_error err = codec_error::invalid_json;
  const std::size_t n = text.size();
  std::size_t pos = skip_ws(text, 0);

  auto parse_key = [&]() -> bool {
    if (pos >= n || text[pos] != '"') return false;
    std::size_t end = detail::scan_string(text, pos, err);
    if (end == npos) return false;
    v.on_key(text.substr(pos, end - pos), stack.size());
    pos = skip_ws(text, end);
    if (pos >= n || text[pos] != ':') return false;
    pos = skip_ws(text, pos + 1);
    return true;
  };

  bool need_value = true;
  for (;;) {
    if (need_value) {
      if (pos >= n) return codec_error::invalid_json;
      const char c = text[pos];
      const std::size_t depth = stack.size();
      if (c == '{' || c == '[') {
        if (depth >= max_depth) return codec_error::json_too_deep;
        const kind k = c == '{' ? kind::object : kind::array;
        v.on_begin(k, pos, depth);
        stack.push_back(c);
        pos = skip_ws(text, pos + 1);
        const char close = c == '{' ? '}' : ']';
        if (pos < n && text[pos] == close) {
          stack.pop_back();
          v.on_end(k, pos + 1, depth);
          pos = skip_ws(text, pos + 1);
          need_value = false;
          continue;
        }
        if (c == '{' && !parse_key()) return err;
        continue;  // still need a value
      }
      std::size_t end = npos;
      kind k = kind::null;
      if (c == '"') {
        end = detail::scan_string(text, pos, err);
        k = kind::string;
        if (end == npos) return err;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        end = detail::scan_number(text, pos);
        k = kind::number;
      } else if (text.substr(pos, 4) == "true") {
        end = pos + 4, k = kind::boolean;
      } else if (text.substr(pos, 5) == "false") {
        end = pos + 5, k = kind::boolean;
      } else if (text.substr(pos, 4) == "null") {
        end = pos + 4, k = kind::null;
      }
      if (end == npos) return codec_error::invalid_json;
      v.on_scalar(k, text.substr(pos, end - pos), depth);
      pos = skip_ws(text, end);
      need_value = false;
      continue;
    }
    // After a value: end of input, a separator, or the close of the enclosing container.
    if (stack.empty()) return pos == n ? error_code{} : error_code{codec_error::invalid_json};
    if (pos >= n) return codec_error::invalid_json;
    const char open = stack.back();
    const char c = text[pos];
    if (c == ',') {
      pos = skip_ws(text, pos + 1);
      if (open == '{' && !parse_key()) return err;
      need_value = true;
    } else if (c == (open == '{' ? '}' : ']')) {
      stack.pop_back();
      v.on_end(open == '{' ? kind::object : kind::array, pos + 1, stack.size());
      pos = skip_ws(text, pos + 1);
    } else {
      return codec_error::invalid_json;
    }
  }
}

// Validates one JSON value and returns its kind.
result<kind> validate(std::string_view text, std::size_t max_depth = default_max_depth);

// Validates `text` as a JSON array and returns the raw text of each element.
result<std::vector<std::string_view>> array_elements(std::string_view text, std::size_t max_depth = default_max_depth);

// Decodes a JSON string literal (with its quotes) that the scanner accepted. Lone surrogate
// escapes, which JSON allows but UTF-8 cannot hold, become U+FFFD.
std::string unquote(std::string_view literal);

// Appends `utf8` as a JSON string literal, escaped as JavaScript's JSON.stringify does.
void quote_append(std::string_view utf8, std::string& out);
std::string quote(std::string_view utf8);

}  // namespace sio::json

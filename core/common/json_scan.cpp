#include "core/common/json_scan.hpp"

#include "core/common/utf8.hpp"

namespace sio::json {
namespace detail {

namespace {
constexpr auto npos = std::string_view::npos;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool in(unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; }

// Length of a valid UTF-8 sequence starting at p[0] (a byte >= 0x80), or 0 (RFC 3629 table).
std::size_t utf8_sequence(const unsigned char* p, std::size_t avail) {
  const unsigned char c = p[0];
  auto cont = [&](std::size_t i) { return i < avail && in(p[i], 0x80, 0xBF); };
  if (in(c, 0xC2, 0xDF)) return cont(1) ? 2 : 0;
  if (c == 0xE0) return (1 < avail && in(p[1], 0xA0, 0xBF) && cont(2)) ? 3 : 0;
  if (in(c, 0xE1, 0xEC) || in(c, 0xEE, 0xEF)) return (cont(1) && cont(2)) ? 3 : 0;
  if (c == 0xED) return (1 < avail && in(p[1], 0x80, 0x9F) && cont(2)) ? 3 : 0;
  if (c == 0xF0) return (1 < avail && in(p[1], 0x90, 0xBF) && cont(2) && cont(3)) ? 4 : 0;
  if (in(c, 0xF1, 0xF3)) return (cont(1) && cont(2) && cont(3)) ? 4 : 0;
  if (c == 0xF4) return (1 < avail && in(p[1], 0x80, 0x8F) && cont(2) && cont(3)) ? 4 : 0;
  return 0;
}
}  // namespace

std::size_t skip_ws(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    const char c = text[pos];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    ++pos;
  }
  return pos;
}

std::size_t scan_string(std::string_view text, std::size_t pos, codec_error& err) {
  err = codec_error::invalid_json;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  ++pos;  // opening quote
  while (pos < n) {
    const unsigned char c = p[pos];
    if (c == '"') return pos + 1;
    if (c == '\\') {
      if (pos + 1 >= n) return npos;
      const char e = static_cast<char>(p[pos + 1]);
      if (e == 'u') {
        if (pos + 6 > n) return npos;
        for (std::size_t i = 2; i < 6; ++i)
          if (!is_hex(static_cast<char>(p[pos + i]))) return npos;
        pos += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
        pos += 2;
      } else {
        return npos;
      }
    } else if (c < 0x20) {
      return npos;
    } else if (c < 0x80) {
      ++pos;
    } else {
      const std::size_t len = utf8_sequence(p + pos, n - pos);
      if (len == 0) {
        err = codec_error::invalid_utf8;
        return npos;
      }
      pos += len;
    }
  }
  return npos;
}

std::size_t scan_number(std::string_view text, std::size_t pos) {
  const std::size_t n = text.size();
  if (pos < n && text[pos] == '-') ++pos;
  if (pos >= n) return npos;
  if (text[pos] == '0') {
    ++pos;
  } else if (is_digit(text[pos])) {
    while (pos < n && is_digit(text[pos])) ++pos;
  } else {
    return npos;
  }
  if (pos < n && text[pos] == '.') {
    ++pos;
    if (pos >= n || !is_digit(text[pos])) return npos;
    while (pos < n && is_digit(text[pos])) ++pos;
  }
  if (pos < n && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < n && (text[pos] == '+' || text[pos] == '-')) ++pos;
    if (pos >= n || !is_digit(text[pos])) return npos;
    while (pos < n && is_digit(text[pos])) ++pos;
  }
  return pos;
}

}  // namespace detail

namespace {

struct top_kind_visitor : visitor {
  kind top = kind::null;
  void on_scalar(kind k, std::string_view, std::size_t depth) {
    if (depth == 0) top = k;
  }
  void on_begin(kind k, std::size_t, std::size_t depth) {
    if (depth == 0) top = k;
  }
};

struct element_visitor : top_kind_visitor {
  std::string_view text;
  std::vector<std::string_view> elements;
  std::size_t begin = 0;
  void on_scalar(kind k, std::string_view raw, std::size_t depth) {
    top_kind_visitor::on_scalar(k, raw, depth);
    if (depth == 1) elements.push_back(raw);
  }
  void on_begin(kind k, std::size_t offset, std::size_t depth) {
    top_kind_visitor::on_begin(k, offset, depth);
    if (depth == 1) begin = offset;
  }
  void on_end(kind, std::size_t end, std::size_t depth) {
    if (depth == 1) elements.push_back(text.substr(begin, end - begin));
  }
};

std::uint32_t hex4(std::string_view s) {
  std::uint32_t v = 0;
  for (char c : s) {
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= static_cast<std::uint32_t>(c - 'A' + 10);
  }
  return v;
}

}  // namespace

result<kind> validate(std::string_view text, std::size_t max_depth) {
  top_kind_visitor v;
  if (auto ec = scan(text, v, max_depth)) return ec;
  return v.top;
}

result<std::vector<std::string_view>> array_elements(std::string_view text, std::size_t max_depth) {
  element_visitor v;
  v.text = text;
  if (auto ec = scan(text, v, max_depth)) return ec;
  if (v.top != kind::array) return codec_error::invalid_payload;
  return std::move(v.elements);
}

std::string unquote(std::string_view literal) {
  std::string out;
  if (literal.size() < 2) return out;
  std::string_view s = literal.substr(1, literal.size() - 2);
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    const char e = s[++i];
    switch (e) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        std::uint32_t cp = hex4(s.substr(i + 1, 4));
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u') {
          const std::uint32_t lo = hex4(s.substr(i + 3, 4));
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        utf8::append(cp, out);
        break;
      }
      default: out.push_back(e); break;  // " \ /
    }
  }
  return out;
}

void quote_append(std::string_view utf8, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

std::string quote(std::string_view utf8) {
  std::string out;
  quote_append(utf8, out);
  return out;
}

}  // namespace sio::json

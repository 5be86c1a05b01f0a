#include "core/jsvalue/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <unordered_map>

namespace sio::jsvalue {

namespace {

// Length of the well-formed UTF-8 sequence at `i`, or 0 with `bad` set to the length of the
// maximal ill-formed subpart (at least 1) that must become one U+FFFD.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& bad) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else {
    bad = 1;
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) {
      bad = k;
      return 0;
    }
    const auto b = static_cast<unsigned char>(s[i + k]);
    const unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xbf;
    if (b < l || b > h) {
      bad = k;
      return 0;
    }
  }
  return len;
}

void append_buffer_json(const value::binary_t& bin, std::string& out) {
  out += "{\"type\":\"Buffer\",\"data\":[";
  char buf[4];
  for (std::size_t i = 0; i < bin.size(); ++i) {
    if (i) out.push_back(',');
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<unsigned>(bin[i]));
    (void)ec;
    out.append(buf, end);
  }
  out += "]}";
}

template <class Int>
void append_int(Int n, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  (void)ec;
  out.append(buf, end);
}

// JSON numbers as JSON.parse reads them: integers exactly when they fit 64 bits (nlohmann
// keeps the integer kinds apart; msgpack then writes the smallest integer form), else double.
value number_value(std::string_view raw) {
  const bool integral = raw.find_first_of(".eE") == std::string_view::npos;
  const char* first = raw.data();
  const char* last = raw.data() + raw.size();
  if (integral) {
    if (raw.front() == '-') {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(first, last, v);
      if (ec == std::errc{} && end == last) return value(v);  // -0 is 0 to msgpack and JSON.stringify
    } else {
      std::uint64_t v = 0;
      auto [end, ec] = std::from_chars(first, last, v);
      if (ec == std::errc{} && end == last) return value(v);
    }
  }
  double d = 0;
  auto [end, ec] = std::from_chars(first, last, d);
  if (ec == std::errc::result_out_of_range) {
    // Overflow or underflow: strtod says which (±HUGE_VAL or 0), as JSON.parse would.
    d = std::strtod(std::string(raw).c_str(), nullptr);
  }
  return value(d);
}

struct tree_builder : json::visitor {
  std::vector<value> stack;
  std::vector<std::string> keys;
  value root;

  void add(value v) {
    if (stack.empty()) {
      root = std::move(v);
    } else if (stack.back().is_array()) {
      stack.back().get_ref<value::array_t&>().push_back(std::move(v));
    } else {
      detail::append_member(stack.back(), std::move(keys.back()), std::move(v));
    }
  }
  void on_scalar(json::kind k, std::string_view raw, std::size_t) {
    switch (k) {
      case json::kind::null: add(value(nullptr)); break;
      case json::kind::boolean: add(value(raw == "true")); break;
      case json::kind::number: add(number_value(raw)); break;
      case json::kind::string: add(value(json::unquote(raw))); break;
      default: break;
    }
  }
  void on_key(std::string_view raw, std::size_t) { keys.back() = json::unquote(raw); }
  void on_begin(json::kind k, std::size_t, std::size_t) {
    stack.push_back(k == json::kind::object ? value::object() : value::array());
    keys.emplace_back();
  }
  void on_end(json::kind, std::size_t, std::size_t) {
    value v = std::move(stack.back());
    stack.pop_back();
    keys.pop_back();
    if (v.is_object()) detail::finish_object(v);
    add(std::move(v));
  }
};

// Replaces the placeholders under `v`; false when one is invalid.
bool resolve_placeholders(value& v, std::span<const std::string> attachments) {
  if (v.is_array()) {
    for (auto& e : v)
      if (!resolve_placeholders(e, attachments)) return false;
    return true;
  }
  if (!v.is_object()) return true;
  auto flag = v.find("_placeholder");
  if (flag != v.end() && flag->is_boolean() && flag->get<bool>()) {
    auto num = v.find("num");
    if (num == v.end() || !num->is_number_integer()) return false;
    const auto n = num->get<std::int64_t>();
    if (n < 0 || static_cast<std::uint64_t>(n) >= attachments.size()) return false;
    const auto& a = attachments[static_cast<std::size_t>(n)];
    v = value::binary(value::binary_t::container_type(a.begin(), a.end()));
    return true;
  }
  for (auto& [k, e] : v.items())
    if (!resolve_placeholders(e, attachments)) return false;
  return true;
}

}  // namespace

bool is_well_formed_utf8(std::string_view s) {
  std::size_t bad = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i, bad);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string to_well_formed_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i, bad);
    if (n == 0) {
      out += "\xef\xbf\xbd";
      i += bad;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

void append_js_number(double d, std::string& out) {
  if (!std::isfinite(d)) {
    out += std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
    return;
  }
  if (d == 0) {
    out.push_back('0');
    return;
  }
  // Shortest round-trip digits and the exponent, then ECMA-262 Number::toString's layout.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  (void)ec;
  std::string_view sci(buf, static_cast<std::size_t>(end - buf));
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos))
    if (c != '.') digits.push_back(c);
  int exp10 = 0;
  std::string_view exp_text = sci.substr(e_pos + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp10);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // the decimal point sits after n digits
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    append_int(n - 1 >= 0 ? n - 1 : 1 - n, out);
  }
}

void append_js_json(const value& v, std::string& out, std::vector<std::string>* attachments) {
  switch (v.type()) {
    case value::value_t::null:
    case value::value_t::discarded: out += "null"; break;
    case value::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case value::value_t::number_integer: append_int(v.get<std::int64_t>(), out); break;
    case value::value_t::number_unsigned: append_int(v.get<std::uint64_t>(), out); break;
    case value::value_t::number_float: {
      const double d = v.get<double>();
      if (std::isfinite(d)) {
        append_js_number(d, out);
      } else {
        out += "null";
      }
      break;
    }
    case value::value_t::string: json::quote_append(v.get_ref<const value::string_t&>(), out); break;
    case value::value_t::binary: {
      const auto& bin = v.get_binary();
      if (attachments) {
        out += "{\"_placeholder\":true,\"num\":";
        append_int(attachments->size(), out);
        out.push_back('}');
        attachments->emplace_back(bin.begin(), bin.end());
      } else {
        append_buffer_json(bin, out);
      }
      break;
    }
    case value::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v) {
        if (!first) out.push_back(',');
        first = false;
        append_js_json(e, out, attachments);
      }
      out.push_back(']');
      break;
    }
    case value::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, e] : v.items()) {
        if (!first) out.push_back(',');
        first = false;
        json::quote_append(k, out);
        out.push_back(':');
        append_js_json(e, out, attachments);
      }
      out.push_back('}');
      break;
    }
  }
}

std::string to_js_json(const value& v, std::vector<std::string>* attachments) {
  std::string out;
  append_js_json(v, out, attachments);
  return out;
}

result<value> parse_json(std::string_view text, std::size_t max_depth) {
  std::string fixed;
  if (!is_well_formed_utf8(text)) {
    fixed = to_well_formed_utf8(text);
    text = fixed;
  }
  tree_builder b;
  if (auto ec = json::scan(text, b, max_depth)) return ec;
  return std::move(b.root);
}

payload to_payload(const value& v) {
  payload p;
  append_js_json(v, p.json, &p.attachments);
  return p;
}

result<value> from_payload(std::string_view text, std::span<const std::string> attachments, std::size_t max_depth) {
  auto v = parse_json(text, max_depth);
  if (!v) return v.error();
  if (!resolve_placeholders(*v, attachments)) return error_code{codec_error::invalid_placeholder};
  return v;
}

namespace detail {

void append_member(value& object, std::string key, value v) {
  object.get_ref<value::object_t&>().Container::emplace_back(std::move(key), std::move(v));
}

void finish_object(value& object) {
  value::object_t::Container& members = object.get_ref<value::object_t&>();
  const std::size_t n = members.size();
  if (n < 2) return;
  // first index of each key; a later duplicate moves its value there (JavaScript keeps the
  // first position and the last value) and is dropped.
  std::vector<bool> dropped;
  auto mark = [&](std::size_t first, std::size_t dup) {
    if (dropped.empty()) dropped.assign(n, false);
    members[first].second = std::move(members[dup].second);
    dropped[dup] = true;
  };
  if (n <= 16) {
    for (std::size_t i = 1; i < n; ++i)
      for (std::size_t j = 0; j < i; ++j)
        if ((dropped.empty() || !dropped[j]) && members[j].first == members[i].first) {
          mark(j, i);
          break;
        }
  } else {
    std::unordered_map<std::string_view, std::size_t> first;
    first.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto [it, inserted] = first.emplace(members[i].first, i);
      if (!inserted) mark(it->second, i);
    }
  }
  if (dropped.empty()) return;
  value::object_t::Container kept;
  for (std::size_t i = 0; i < n; ++i)
    if (!dropped[i]) kept.emplace_back(members[i].first, std::move(members[i].second));
  members = std::move(kept);
}

}  // namespace detail

}  // namespace sio::jsvalue

#include "core/jsvalue/msgpack.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace sio::jsvalue::msgpack {

namespace {

constexpr std::int64_t max_js_time_ms = 8'640'000'000'000'000;  // ECMA-262 TimeClip bound

void put_be(std::uint64_t v, int bytes, std::string& out) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_unsigned(std::uint64_t n, std::string& out) {
  if (n < 0x80) {
    out.push_back(static_cast<char>(n));
  } else if (n < 0x100) {
    out.push_back('\xcc');
    put_be(n, 1, out);
  } else if (n < 0x10000) {
    out.push_back('\xcd');
    put_be(n, 2, out);
  } else if (n < 0x100000000) {
    out.push_back('\xce');
    put_be(n, 4, out);
  } else {
    out.push_back('\xcf');
    put_be(n, 8, out);
  }
}

void put_signed(std::int64_t n, std::string& out) {
  if (n >= 0) return put_unsigned(static_cast<std::uint64_t>(n), out);
  const auto u = static_cast<std::uint64_t>(n);
  if (n >= -0x20) {
    out.push_back(static_cast<char>(u & 0xff));
  } else if (n >= -0x80) {
    out.push_back('\xd0');
    put_be(u, 1, out);
  } else if (n >= -0x8000) {
    out.push_back('\xd1');
    put_be(u, 2, out);
  } else if (n >= -0x80000000LL) {
    out.push_back('\xd2');
    put_be(u, 4, out);
  } else {
    out.push_back('\xd3');
    put_be(u, 8, out);
  }
}

void put_double(double d, std::string& out) {
  // notepack: Math.floor(d) === d && isFinite(d) is an integer (-0 included, as 0).
  if (std::isfinite(d) && std::floor(d) == d) {
    if (d >= 0 && d < 18446744073709551616.0) return put_unsigned(static_cast<std::uint64_t>(d), out);
    if (d < 0 && d >= -9223372036854775808.0) return put_signed(static_cast<std::int64_t>(d), out);
  }
  out.push_back('\xcb');
  put_be(std::bit_cast<std::uint64_t>(d), 8, out);
}

// A header for str/bin/array/map: the fix form (when `fix_limit` allows), then 8/16/32-bit
// lengths. `op8` 0 means the type has no 8-bit form.
void put_header(std::size_t n, unsigned char fix_base, std::size_t fix_limit, unsigned char op8, unsigned char op16,
                unsigned char op32, std::string& out) {
  if (n < fix_limit) {
    out.push_back(static_cast<char>(fix_base | n));
  } else if (op8 && n < 0x100) {
    out.push_back(static_cast<char>(op8));
    put_be(n, 1, out);
  } else if (n < 0x10000) {
    out.push_back(static_cast<char>(op16));
    put_be(n, 2, out);
  } else {
    out.push_back(static_cast<char>(op32));
    put_be(n, 4, out);
  }
}

void put_str(std::string_view s, std::string& out) {
  put_header(s.size(), 0xa0, 32, 0xd9, 0xda, 0xdb, out);
  out.append(s);
}

// Civil date from days since 1970-01-01 (proleptic Gregorian), by 400-year eras.
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;  // days from 0000-03-01 to 1970-01-01
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);                    // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365], from March 1
  const unsigned mp = (5 * doy + 2) / 153;                                     // [0, 11], March is 0
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

void put_padded(std::uint64_t v, int width, std::string& out) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n) out.push_back(buf[--n]);
}

// The time value `new Date(sec * 1e3 + nsec / 1e6)` gets: TimeClip truncates toward zero.
std::optional<std::int64_t> timestamp_ms(std::int64_t sec, std::uint64_t nsec) {
  if (sec > max_js_time_ms / 1000 + 1 || sec < -(max_js_time_ms / 1000) - 1) return std::nullopt;
  std::int64_t ms = sec * 1000 + static_cast<std::int64_t>(nsec / 1'000'000);
  if (nsec % 1'000'000 != 0 && ms < 0) ++ms;
  return ms;
}

value date_value(std::optional<std::int64_t> ms) {
  if (!ms) return value(nullptr);
  auto iso = js_iso_date(*ms);
  return iso ? value(std::move(*iso)) : value(nullptr);
}

class reader {
 public:
  reader(std::string_view in, std::size_t max_depth) : in_(in), max_depth_(max_depth) {}

  std::size_t pos() const { return pos_; }

  // Reads one value into `out`; `undefined` is set for notepack's undefined.
  error_code read(value& out, std::size_t depth, bool& undefined) {
    undefined = false;
    if (!need(1)) return jsvalue_error::msgpack_truncated;
    const auto b = static_cast<unsigned char>(in_[pos_++]);
    if (b < 0x80) {
      out = std::uint64_t{b};
      return {};
    }
    if (b >= 0xe0) {
      out = static_cast<std::int64_t>(static_cast<std::int8_t>(b));
      return {};
    }
    if (b < 0x90) return read_map(b & 0x0f, out, depth);
    if (b < 0xa0) return read_array(b & 0x0f, out, depth);
    if (b < 0xc0) return read_str(b & 0x1f, out);
    std::uint64_t n = 0;
    switch (b) {
      case 0xc0: out = nullptr; return {};
      case 0xc1: return jsvalue_error::msgpack_invalid_byte;
      case 0xc2: out = false; return {};
      case 0xc3: out = true; return {};
      case 0xc4:
      case 0xc5:
      case 0xc6:
        if (!be(1 << (b - 0xc4), n)) return jsvalue_error::msgpack_truncated;
        return read_bin(n, out);
      case 0xc7:
      case 0xc8:
      case 0xc9:
        if (!be(1 << (b - 0xc7), n)) return jsvalue_error::msgpack_truncated;
        return read_ext(n, b, out, undefined);
      case 0xca: {
        if (!be(4, n)) return jsvalue_error::msgpack_truncated;
        out = static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(n)));
        return {};
      }
      case 0xcb:
        if (!be(8, n)) return jsvalue_error::msgpack_truncated;
        out = std::bit_cast<double>(n);
        return {};
      case 0xcc:
      case 0xcd:
      case 0xce:
      case 0xcf:
        if (!be(1 << (b - 0xcc), n)) return jsvalue_error::msgpack_truncated;
        out = n;
        return {};
      case 0xd0:
      case 0xd1:
      case 0xd2:
      case 0xd3: {
        const int bytes = 1 << (b - 0xd0);
        if (!be(bytes, n)) return jsvalue_error::msgpack_truncated;
        out = sign_extend(n, bytes);
        return {};
      }
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8: return read_ext(std::uint64_t{1} << (b - 0xd4), b, out, undefined);
      case 0xd9:
      case 0xda:
      case 0xdb:
        if (!be(1 << (b - 0xd9), n)) return jsvalue_error::msgpack_truncated;
        return read_str(n, out);
      case 0xdc:
      case 0xdd:
        if (!be(b == 0xdc ? 2 : 4, n)) return jsvalue_error::msgpack_truncated;
        return read_array(n, out, depth);
      default:  // 0xde, 0xdf
        if (!be(b == 0xde ? 2 : 4, n)) return jsvalue_error::msgpack_truncated;
        return read_map(n, out, depth);
    }
  }

 private:
  bool need(std::uint64_t n) const { return in_.size() - pos_ >= n; }

  bool be(int bytes, std::uint64_t& v) {
    if (!need(static_cast<std::uint64_t>(bytes))) return false;
    v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(in_[pos_++]);
    return true;
  }

  static std::int64_t sign_extend(std::uint64_t v, int bytes) {
    if (bytes == 8) return static_cast<std::int64_t>(v);
    const std::uint64_t sign = std::uint64_t{1} << (8 * bytes - 1);
    return static_cast<std::int64_t>((v ^ sign) - sign);  // two's complement of the narrow value
  }

  error_code read_str(std::uint64_t n, value& out) {
    if (!need(n)) return jsvalue_error::msgpack_truncated;
    const std::string_view s = in_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    out = is_well_formed_utf8(s) ? std::string(s) : to_well_formed_utf8(s);
    return {};
  }

  error_code read_bin(std::uint64_t n, value& out) {
    if (!need(n)) return jsvalue_error::msgpack_truncated;
    const auto* p = reinterpret_cast<const std::uint8_t*>(in_.data() + pos_);
    out = value::binary(value::binary_t::container_type(p, p + n));
    pos_ += static_cast<std::size_t>(n);
    return {};
  }

  // `op` is the type byte: fixext d4..d8, or ext c7/c8/c9. notepack reads a timestamp from
  // d6, d7 and c7 only.
  error_code read_ext(std::uint64_t n, unsigned char op, value& out, bool& undefined) {
    const bool fixed = op >= 0xd4;
    if (!need(n + 1)) return jsvalue_error::msgpack_truncated;
    const auto type = static_cast<std::int8_t>(in_[pos_++]);
    const std::size_t start = pos_;
    auto u = [&](std::size_t off, int bytes) {
      std::uint64_t v = 0;
      for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(in_[start + off + i]);
      return v;
    };
    if (type == -1 && ((op == 0xd6 && n == 4) || (op == 0xd7 && n == 8) || (op == 0xc7 && n == 12))) {
      std::int64_t sec = 0;
      std::uint64_t nsec = 0;
      if (n == 4) {
        sec = static_cast<std::int64_t>(u(0, 4));
      } else if (n == 8) {
        const std::uint64_t v = u(0, 8);
        nsec = v >> 34;
        sec = static_cast<std::int64_t>(v & 0x3ffffffffULL);
      } else {
        nsec = u(0, 4);
        sec = static_cast<std::int64_t>(u(4, 8));
      }
      pos_ += static_cast<std::size_t>(n);
      out = date_value(timestamp_ms(sec, nsec));
      return {};
    }
    if (type == 0 && fixed && n == 1) {  // undefined
      pos_ += 1;
      out = nullptr;
      undefined = true;
      return {};
    }
    if (type == 0 && fixed && n == 8) {  // notepack 2.x Date: int64 milliseconds
      const auto ms = static_cast<std::int64_t>(u(0, 8));
      pos_ += 8;
      out = date_value(ms);
      return {};
    }
    value data;
    if (auto ec = read_bin(n, data)) return ec;
    if (type == 0 && !fixed) {  // notepack 2.x ArrayBuffer
      out = std::move(data);
    } else {
      out = value::array({value(static_cast<std::int64_t>(type)), std::move(data)});
    }
    return {};
  }

  error_code read_array(std::uint64_t n, value& out, std::size_t depth) {
    if (depth >= max_depth_) return jsvalue_error::msgpack_too_deep;
    if (!need(n)) return jsvalue_error::msgpack_truncated;  // every element takes a byte at least
    out = value::array();
    auto& arr = out.get_ref<value::array_t&>();
    arr.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n, 1024)));  // n is the peer's claim
    for (std::uint64_t i = 0; i < n; ++i) {
      value e;
      bool undefined = false;
      if (auto ec = read(e, depth + 1, undefined)) return ec;
      arr.push_back(std::move(e));
    }
    return {};
  }

  error_code read_map(std::uint64_t n, value& out, std::size_t depth) {
    if (depth >= max_depth_) return jsvalue_error::msgpack_too_deep;
    if (!need(n) || !need(2 * n)) return jsvalue_error::msgpack_truncated;
    out = value::object();
    out.get_ref<value::object_t&>().reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n, 1024)));
    for (std::uint64_t i = 0; i < n; ++i) {
      value k, v;
      bool undefined = false;
      if (auto ec = read(k, depth + 1, undefined)) return ec;
      std::string key;
      if (auto ec = key_string(k, undefined, key)) return ec;
      if (auto ec = read(v, depth + 1, undefined)) return ec;
      if (!undefined) detail::append_member(out, std::move(key), std::move(v));
    }
    detail::finish_object(out);
    return {};
  }

  // A key as JavaScript's property-name conversion writes it.
  static error_code key_string(value& k, bool undefined, std::string& key) {
    switch (k.type()) {
      case value::value_t::string: key = std::move(k.get_ref<value::string_t&>()); return {};
      case value::value_t::number_integer:
      case value::value_t::number_unsigned:
      case value::value_t::boolean: key = k.dump(); return {};
      case value::value_t::number_float: append_js_number(k.get<double>(), key); return {};
      case value::value_t::null: key = undefined ? "undefined" : "null"; return {};
      default: return jsvalue_error::msgpack_bad_key;
    }
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t max_depth_;
};

}  // namespace

result<value> decode(std::string_view bytes, const decode_limits& limits) {
  reader r(bytes, limits.max_depth);
  value out;
  bool undefined = false;
  if (auto ec = r.read(out, 0, undefined)) return ec;
  if (r.pos() != bytes.size()) return error_code{jsvalue_error::msgpack_trailing_bytes};
  return out;
}

void encode_append(const value& v, std::string& out) {
  switch (v.type()) {
    case value::value_t::null:
    case value::value_t::discarded: out.push_back('\xc0'); break;
    case value::value_t::boolean: out.push_back(v.get<bool>() ? '\xc3' : '\xc2'); break;
    case value::value_t::number_integer: put_signed(v.get<std::int64_t>(), out); break;
    case value::value_t::number_unsigned: put_unsigned(v.get<std::uint64_t>(), out); break;
    case value::value_t::number_float: put_double(v.get<double>(), out); break;
    case value::value_t::string: put_str(v.get_ref<const value::string_t&>(), out); break;
    case value::value_t::binary: {
      const auto& bin = v.get_binary();
      put_header(bin.size(), 0, 0, 0xc4, 0xc5, 0xc6, out);
      out.append(reinterpret_cast<const char*>(bin.data()), bin.size());
      break;
    }
    case value::value_t::array:
      put_header(v.size(), 0x90, 16, 0, 0xdc, 0xdd, out);
      for (const auto& e : v) encode_append(e, out);
      break;
    case value::value_t::object:
      put_header(v.size(), 0x80, 16, 0, 0xde, 0xdf, out);
      for (const auto& [k, e] : v.items()) {
        put_str(k, out);
        encode_append(e, out);
      }
      break;
  }
}

std::string encode(const value& v) {
  std::string out;
  encode_append(v, out);
  return out;
}

std::optional<std::string> js_iso_date(std::int64_t ms) {
  if (ms > max_js_time_ms || ms < -max_js_time_ms) return std::nullopt;
  constexpr std::int64_t ms_per_day = 86'400'000;
  std::int64_t days = ms / ms_per_day;
  std::int64_t rem = ms % ms_per_day;
  if (rem < 0) {
    rem += ms_per_day;
    --days;
  }
  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  civil_from_days(days, year, month, day);
  std::string out;
  out.reserve(27);
  if (year >= 0 && year <= 9999) {
    put_padded(static_cast<std::uint64_t>(year), 4, out);
  } else {
    out.push_back(year < 0 ? '-' : '+');
    put_padded(static_cast<std::uint64_t>(year < 0 ? -year : year), 6, out);
  }
  const auto r = static_cast<std::uint64_t>(rem);
  out.push_back('-');
  put_padded(month, 2, out);
  out.push_back('-');
  put_padded(day, 2, out);
  out.push_back('T');
  put_padded(r / 3'600'000, 2, out);
  out.push_back(':');
  put_padded(r / 60'000 % 60, 2, out);
  out.push_back(':');
  put_padded(r / 1000 % 60, 2, out);
  out.push_back('.');
  put_padded(r % 1000, 3, out);
  out.push_back('Z');
  return out;
}

}  // namespace sio::jsvalue::msgpack

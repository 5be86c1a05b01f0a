#include "core/common/utf8.hpp"

#include <cstring>

namespace sio::utf8 {

namespace {

constexpr std::uint64_t high_bits = 0x8080808080808080ull;

// Skips the ASCII prefix of [p, end) eight bytes at a time, then byte by byte.
const unsigned char* skip_ascii(const unsigned char* p, const unsigned char* end) {
  while (end - p >= 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    if (chunk & high_bits) break;
    p += 8;
  }
  while (p < end && *p < 0x80) ++p;
  return p;
}

}  // namespace

bool validator::feed(std::string_view bytes) {
  if (!ok_) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* const end = p + bytes.size();
  std::uint8_t need = need_, lo = lo_, hi = hi_;
  for (;;) {
    // Finish the character in progress.
    while (need > 0) {
      if (p == end) {
        need_ = need, lo_ = lo, hi_ = hi;
        return true;
      }
      if (*p < lo || *p > hi) return ok_ = false;
      ++p;
      --need;
      lo = 0x80, hi = 0xbf;
    }
    p = skip_ascii(p, end);
    if (p == end) break;
    const unsigned char b = *p++;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b == 0xe0) lo = 0xa0;  // E0 80..9F would be overlong
      if (b == 0xed) hi = 0x9f;  // ED A0..BF encodes surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b == 0xf0) lo = 0x90;  // F0 80..8F would be overlong
      if (b == 0xf4) hi = 0x8f;  // F4 90.. is past U+10FFFF
    } else {
      return ok_ = false;  // a stray continuation byte, C0/C1 (overlong) or F5..FF
    }
  }
  need_ = 0, lo_ = 0x80, hi_ = 0xbf;
  return true;
}

bool valid(std::string_view bytes) {
  validator v;
  return v.feed(bytes) && v.complete();
}

void append(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace sio::utf8

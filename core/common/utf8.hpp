#pragma once
// UTF-8 validation as RFC 3629 defines it (no overlong forms, no surrogates, nothing past
// U+10FFFF), incremental so that a WebSocket text message split over fragments is checked as
// each fragment arrives (RFC 6455 §8.1: fail as soon as the bytes cannot be valid). It runs
// on every text message, so ASCII is skipped eight bytes at a time.
#include <cstdint>
#include <string>
#include <string_view>

namespace sio::utf8 {

class validator {
 public:
  // Checks the next bytes of a text; false once the text cannot be valid, and from then on.
  bool feed(std::string_view bytes);
  // The text so far is valid and ends on a character boundary: it may end here.
  bool complete() const { return ok_ && need_ == 0; }
  bool failed() const { return !ok_; }
  void reset() { *this = validator{}; }

 private:
  std::uint8_t need_ = 0;  // continuation bytes still owed by the current character
  // The range the next continuation byte must fall in: narrower than 80..BF right after the
  // lead bytes E0 (overlong), ED (surrogates), F0 (overlong) and F4 (past U+10FFFF).
  std::uint8_t lo_ = 0x80;
  std::uint8_t hi_ = 0xbf;
  bool ok_ = true;
};

// The whole of `bytes` is valid UTF-8.
bool valid(std::string_view bytes);

// Appends code point `cp` (at most U+10FFFF) encoded; a surrogate comes out as the invalid
// 3-byte form, so the caller excludes them.
void append(std::uint32_t cp, std::string& out);

}  // namespace sio::utf8

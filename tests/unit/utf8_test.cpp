// The UTF-8 validator: the classic sequences (Markus Kuhn's stress test categories and the
// Autobahn 6.x cases), every boundary of each form, and every text split at every byte.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/common/utf8.hpp"
#include "tests/support/splits.hpp"

namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

struct row {
  const char* name;
  std::string text;
  bool valid;
};

const std::vector<row>& rows() {
  static const std::vector<row> all = {
      {"empty", "", true},
      {"ASCII", "Hello-µ@ßöäüàá-UTF-8!!", true},
      {"ASCII past the 8-byte fast path", std::string(1000, 'a') + "é" + std::string(13, 'b'), true},
      {"kosme", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", true},
      {"first of each length",
       bytes({0x00}) + bytes({0xc2, 0x80}) + bytes({0xe0, 0xa0, 0x80}) + bytes({0xf0, 0x90, 0x80, 0x80}), true},
      {"last of each length", bytes({0x7f, 0xdf, 0xbf, 0xef, 0xbf, 0xbf, 0xf4, 0x8f, 0xbf, 0xbf}), true},
      {"around the surrogates", bytes({0xed, 0x9f, 0xbf, 0xee, 0x80, 0x80, 0xef, 0xbf, 0xbd}), true},
      {"noncharacters are valid UTF-8", bytes({0xef, 0xbf, 0xbe, 0xef, 0xbf, 0xbf}), true},
      {"past U+10FFFF", bytes({0xf4, 0x90, 0x80, 0x80}), false},
      {"F5 lead", bytes({0xf5, 0x80, 0x80, 0x80}), false},
      {"5-byte form", bytes({0xf8, 0x88, 0x80, 0x80, 0x80}), false},
      {"6-byte form", bytes({0xfc, 0x84, 0x80, 0x80, 0x80, 0x80}), false},
      {"FE and FF", bytes({0xfe, 0xff}), false},
      {"lone continuation", bytes({0x80}), false},
      {"continuation after ASCII", "abc" + bytes({0xbf}), false},
      {"lead then ASCII", bytes({0xc3}) + "a", false},
      {"truncated 2-byte at the end", "ab" + bytes({0xc3}), false},
      {"truncated 3-byte at the end", bytes({0xe2, 0x82}), false},
      {"truncated 4-byte at the end", bytes({0xf0, 0x9f, 0x98}), false},
      {"overlong slash, 2 bytes", bytes({0xc0, 0xaf}), false},
      {"overlong slash, 3 bytes", bytes({0xe0, 0x80, 0xaf}), false},
      {"overlong slash, 4 bytes", bytes({0xf0, 0x80, 0x80, 0xaf}), false},
      {"largest overlong, 2 bytes", bytes({0xc1, 0xbf}), false},
      {"largest overlong, 3 bytes", bytes({0xe0, 0x9f, 0xbf}), false},
      {"largest overlong, 4 bytes", bytes({0xf0, 0x8f, 0xbf, 0xbf}), false},
      {"overlong NUL", bytes({0xc0, 0x80}), false},
      {"high surrogate", bytes({0xed, 0xa0, 0x80}), false},
      {"low surrogate", bytes({0xed, 0xbf, 0xbf}), false},
      {"surrogate pair", bytes({0xed, 0xa1, 0x8c, 0xed, 0xbe, 0xb4}), false},
      {"invalid after valid text (Autobahn 6.3.1)",
       "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5" + bytes({0xed, 0xa0, 0x80}) + "\x65\x64\x69\x74\x65\x64", false},
      {"invalid in the middle of ASCII", std::string(20, 'x') + bytes({0xff}) + std::string(20, 'y'), false},
  };
  return all;
}

}  // namespace

TEST_CASE("utf8: the classic valid and invalid sequences, whole") {
  for (const auto& r : rows()) {
    CAPTURE(r.name);
    CHECK(sio::utf8::valid(r.text) == r.valid);
  }
}

TEST_CASE("utf8: split at every byte and at random, the verdict is the same") {
  for (const auto& r : rows()) {
    CAPTURE(r.name);
    for (const auto& chunks : sio::test::splits_of(r.text, 5)) {
      sio::utf8::validator v;
      bool fed = true;
      for (auto c : chunks) fed = v.feed(c) && fed;
      CHECK((fed && v.complete()) == r.valid);
    }
    // Every two-piece split: the state carried over one boundary.
    for (std::size_t cut = 0; cut <= r.text.size(); ++cut) {
      sio::utf8::validator v;
      const bool fed = v.feed(std::string_view(r.text).substr(0, cut)) && v.feed(std::string_view(r.text).substr(cut));
      CHECK((fed && v.complete()) == r.valid);
    }
  }
}

TEST_CASE("utf8: a validator fails as soon as the bytes cannot be valid, and stays failed") {
  sio::utf8::validator v;
  CHECK(v.feed("ok "));
  CHECK(v.feed(bytes({0xe2, 0x82})));  // a character in progress: not complete, not failed
  CHECK_FALSE(v.complete());
  CHECK_FALSE(v.failed());
  CHECK(v.feed(bytes({0xac})));  // the euro sign, finished
  CHECK(v.complete());
  CHECK_FALSE(v.feed(bytes({0xed, 0xa0})));  // a surrogate's second byte: fails at once
  CHECK(v.failed());
  CHECK_FALSE(v.feed("a"));
  v.reset();
  CHECK(v.feed("a"));
  CHECK(v.complete());
}

TEST_CASE(
    "utf8: every code point's encoding is valid, surrogates' not; every 2-byte lead with a bad continuation is not") {
  auto encode = [](std::uint32_t cp) {
    std::string s;
    sio::utf8::append(cp, s);  // surrogates too: the encoding the validator must refuse
    return s;
  };
  std::size_t wrong = 0;
  for (std::uint32_t cp = 0; cp <= 0x10ffff; ++cp) {
    const bool surrogate = cp >= 0xd800 && cp <= 0xdfff;
    if (sio::utf8::valid(encode(cp)) == surrogate) ++wrong;
  }
  CHECK(wrong == 0);
  for (int lead = 0xc2; lead <= 0xdf; ++lead)
    for (int next : {0x00, 0x7f, 0xc0, 0xff}) CHECK_FALSE(sio::utf8::valid(bytes({lead, next})));
}

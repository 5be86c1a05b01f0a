#include <doctest/doctest.h>

#include <string>

#include "core/common/base64.hpp"

using namespace std::string_literals;

TEST_CASE("base64: RFC 4648 test vectors round trip") {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
      {"\x01\x02\x03\x04"s, "AQIDBA=="},
  };
  for (const auto& [raw, text] : vectors) {
    CAPTURE(text);
    CHECK(sio::base64::encode(raw) == text);
    auto back = sio::base64::decode(text);
    REQUIRE(back.has_value());
    CHECK(*back == raw);
  }
}

TEST_CASE("base64: every byte value survives") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  CHECK(sio::base64::decode(sio::base64::encode(all)) == all);
}

TEST_CASE("base64: garbage is rejected, not guessed") {
  for (const char* bad :
       {"A", "AB", "ABC", "A===", "====", "AB=C", "Zm9v!", "Zm9v Zm9v", "Zg==Zg==", "Z===", "\xff\xff\xff\xff"}) {
    CAPTURE(bad);
    CHECK_FALSE(sio::base64::decode(bad).has_value());
  }
}

#include <doctest/doctest.h>

#include <string>

#include "core/common/json_scan.hpp"

using namespace std::string_literals;
namespace json = sio::json;

TEST_CASE("json: valid documents and their kinds") {
  const std::pair<std::string, json::kind> rows[] = {
      {"null", json::kind::null},
      {"true", json::kind::boolean},
      {"false", json::kind::boolean},
      {"0", json::kind::number},
      {"-0.5e+10", json::kind::number},
      {"1E5", json::kind::number},
      {"\"\"", json::kind::string},
      {"\"h\\u00e9llo\\n\\\"\"", json::kind::string},
      {"\"héllo 😀\"", json::kind::string},
      {" [ 1 , \"2\" , {\"3\" : [true]} ] ", json::kind::array},
      {"[]", json::kind::array},
      {"{}", json::kind::object},
      {"{\"a\":{\"b\":{\"c\":[[],{}]}}}", json::kind::object},
  };
  for (const auto& [text, kind] : rows) {
    CAPTURE(text);
    auto r = json::validate(text);
    REQUIRE(r.has_value());
    CHECK(*r == kind);
  }
}

TEST_CASE("json: invalid documents are rejected with a reason") {
  const std::pair<std::string, sio::codec_error> rows[] = {
      {"", sio::codec_error::invalid_json},
      {" ", sio::codec_error::invalid_json},
      {"[1,]", sio::codec_error::invalid_json},
      {"[1 2]", sio::codec_error::invalid_json},
      {"{\"a\"}", sio::codec_error::invalid_json},
      {"{\"a\":1,}", sio::codec_error::invalid_json},
      {"{a:1}", sio::codec_error::invalid_json},
      {"01", sio::codec_error::invalid_json},
      {"1.", sio::codec_error::invalid_json},
      {".5", sio::codec_error::invalid_json},
      {"-", sio::codec_error::invalid_json},
      {"1e", sio::codec_error::invalid_json},
      {"tru", sio::codec_error::invalid_json},
      {"truex", sio::codec_error::invalid_json},
      {"nul", sio::codec_error::invalid_json},
      {"[1] [2]", sio::codec_error::invalid_json},
      {"\"abc", sio::codec_error::invalid_json},
      {"\"a\\x\"", sio::codec_error::invalid_json},
      {"\"\\u12\"", sio::codec_error::invalid_json},
      {"\"tab\there\"", sio::codec_error::invalid_json},
      {"'single'", sio::codec_error::invalid_json},
      {"NaN", sio::codec_error::invalid_json},
      {"[", sio::codec_error::invalid_json},
      {"]", sio::codec_error::invalid_json},
      {"\"\xff\"", sio::codec_error::invalid_utf8},
      {"\"\xc0\xaf\"", sio::codec_error::invalid_utf8},          // overlong '/'
      {"\"\xed\xa0\x80\"", sio::codec_error::invalid_utf8},      // UTF-16 surrogate
      {"\"\xf4\x90\x80\x80\"", sio::codec_error::invalid_utf8},  // above U+10FFFF
      {"\"\xe2\x82\"", sio::codec_error::invalid_utf8},          // truncated
  };
  for (const auto& [text, error] : rows) {
    CAPTURE(text);
    auto r = json::validate(text);
    REQUIRE(r.has_error());
    CHECK(r.error() == sio::make_error_code(error));
  }
}

TEST_CASE("json: nesting is bounded without recursion") {
  const std::string at_limit = std::string(json::default_max_depth, '[') + std::string(json::default_max_depth, ']');
  CHECK(json::validate(at_limit).has_value());
  const std::string over = "[" + at_limit + "]";
  CHECK(json::validate(over).error() == sio::make_error_code(sio::codec_error::json_too_deep));
  // Far beyond any stack: a million brackets fail fast and cleanly.
  const std::string hostile(1'000'000, '[');
  CHECK(json::validate(hostile).error() == sio::make_error_code(sio::codec_error::json_too_deep));
}

TEST_CASE("json: array elements keep their exact bytes") {
  auto r = json::array_elements(R"(["message", 1.50,  {"b":2,"a":1} , [ ], "x\"y" ,null])");
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 6);
  CHECK((*r)[0] == R"("message")");
  CHECK((*r)[1] == "1.50");
  CHECK((*r)[2] == R"({"b":2,"a":1})");
  CHECK((*r)[3] == "[ ]");
  CHECK((*r)[4] == R"("x\"y")");
  CHECK((*r)[5] == "null");
  CHECK(json::array_elements("{}").error() == sio::make_error_code(sio::codec_error::invalid_payload));
  CHECK(json::array_elements("[]")->empty());
}

TEST_CASE("json: unquote and quote") {
  CHECK(json::unquote(R"("plain")") == "plain");
  CHECK(json::unquote(R"("a\"b\\c\/d\b\f\n\r\t")") == "a\"b\\c/d\b\f\n\r\t");
  CHECK(json::unquote(R"("\u00e9\u20ac")") == "é€");
  CHECK(json::unquote(R"("\ud83d\ude00")") == "😀");
  CHECK(json::unquote(R"("\ud83d!")") == "\xEF\xBF\xBD!");  // lone surrogate
  CHECK(json::quote("a\"b\\c\n\x01") == R"("a\"b\\c\n\u0001")");
  CHECK(json::quote("héllo") == "\"héllo\"");
  for (std::string s : {"", "x", "\"\\\b\f\n\r\t", "\x1f\x7f", "é😀"}) {
    CAPTURE(s);
    const auto q = json::quote(s);
    REQUIRE(json::validate(q).has_value());
    CHECK(json::unquote(q) == s);
  }
}

#include <doctest/doctest.h>

#include <cmath>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "core/jsvalue/value.hpp"

using namespace std::string_literals;
namespace jsvalue = sio::jsvalue;
using jsvalue::value;

namespace {

std::string js_number(double d) {
  std::string out;
  jsvalue::append_js_number(d, out);
  return out;
}

value bin(std::vector<std::uint8_t> bytes) { return value::binary(std::move(bytes)); }

}  // namespace

TEST_CASE("value: numbers are written as JavaScript writes them") {
  // Expected strings from Node 20: String(n).
  const std::pair<double, const char*> rows[] = {
      {0.0, "0"},
      {-0.0, "0"},
      {1.0, "1"},
      {-1.0, "-1"},
      {0.5, "0.5"},
      {1e21, "1e+21"},
      {2.5e21, "2.5e+21"},
      {1e20, "100000000000000000000"},
      {123456789012345680000.0, "123456789012345680000"},
      {1e-7, "1e-7"},
      {-1e-7, "-1e-7"},
      {1e-6, "0.000001"},
      {1.5e-7, "1.5e-7"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {0.1 + 0.2, "0.30000000000000004"},
      {123.456, "123.456"},
      {-1.5, "-1.5"},
      {100.0, "100"},
      {9007199254740992.0, "9007199254740992"},
      {1.0 / 3, "0.3333333333333333"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {std::numeric_limits<double>::infinity(), "Infinity"},
      {-std::numeric_limits<double>::infinity(), "-Infinity"},
  };
  for (const auto& [d, text] : rows) {
    CAPTURE(text);
    CHECK(js_number(d) == text);
  }
}

TEST_CASE("value: JSON as JSON.stringify writes it") {
  value v = value::object();
  v["a"] = "\x01\x1f\x7f\"\\/\n\t\b\f\r é😀";
  v["b"] = value::array({std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), -0.0});
  v["c"] = value::array({1.0, 2.5, -3, 18446744073709551615ULL, nullptr, true, false});
  v["d"] = value::object();
  // Node: {"a":"\u0001\u001f\"\\/\n\t\b\f\r é😀","b":[null,null,0]}
  CHECK(jsvalue::to_js_json(v) ==
        "{\"a\":\"\\u0001\\u001f\x7f\\\"\\\\/\\n\\t\\b\\f\\r é😀\",\"b\":[null,null,0],"
        "\"c\":[1,2.5,-3,18446744073709551615,null,true,false],\"d\":{}}");
  // Binary: Buffer.toJSON() without attachments, placeholders with them.
  const value args = value::array({"bin", bin({1, 2, 255}), value::object({{"x", bin({})}})});
  CHECK(jsvalue::to_js_json(args) == R"(["bin",{"type":"Buffer","data":[1,2,255]},{"x":{"type":"Buffer","data":[]}}])");
  std::vector<std::string> attachments;
  CHECK(jsvalue::to_js_json(args, &attachments) ==
        R"(["bin",{"_placeholder":true,"num":0},{"x":{"_placeholder":true,"num":1}}])");
  CHECK(attachments == std::vector<std::string>{"\x01\x02\xff"s, ""});
}

TEST_CASE("value: parsing JSON as JSON.parse does") {
  auto v = jsvalue::parse_json(R"({"a":1,"b":-1,"c":1.0,"d":"x\u00e9\ud83d\ude00","e":[true,false,null],"a":3})");
  REQUIRE(v.has_value());
  // The duplicate keeps the first position and the last value: {"a":3,"b":2} in Node.
  CHECK(jsvalue::to_js_json(*v) == R"({"a":3,"b":-1,"c":1,"d":"xé😀","e":[true,false,null]})");
  CHECK((*v)["a"].is_number_unsigned());
  CHECK((*v)["b"].is_number_integer());
  CHECK((*v)["c"].is_number_float());

  auto big =
      jsvalue::parse_json("[18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809]");
  REQUIRE(big.has_value());
  CHECK((*big)[0].get<std::uint64_t>() == UINT64_MAX);
  CHECK((*big)[1].is_number_float());
  CHECK((*big)[2].get<std::int64_t>() == INT64_MIN);
  CHECK((*big)[3].is_number_float());

  auto huge = jsvalue::parse_json("[1e400,-1e400,1e-400,-0]");
  REQUIRE(huge.has_value());
  CHECK((*huge)[0].get<double>() == std::numeric_limits<double>::infinity());
  CHECK((*huge)[1].get<double>() == -std::numeric_limits<double>::infinity());
  CHECK((*huge)[2].get<double>() == 0.0);
  CHECK(jsvalue::to_js_json(*huge) == "[null,null,0,0]");

  // Invalid UTF-8 is replaced first, as Node parses msg.toString().
  auto bad_utf8 = jsvalue::parse_json("{\"k\xff\":\"a\xc0\xaf\"}");
  REQUIRE(bad_utf8.has_value());
  CHECK(jsvalue::to_js_json(*bad_utf8) == "{\"k\xef\xbf\xbd\":\"a\xef\xbf\xbd\xef\xbf\xbd\"}");

  CHECK(jsvalue::parse_json("{").error() == sio::make_error_code(sio::codec_error::invalid_json));
  CHECK(jsvalue::parse_json("").error() == sio::make_error_code(sio::codec_error::invalid_json));
  CHECK(jsvalue::parse_json("[1] x").error() == sio::make_error_code(sio::codec_error::invalid_json));
  CHECK(jsvalue::parse_json("[[[1]]]", 3).has_value());
  CHECK(jsvalue::parse_json("[[[[1]]]]", 3).error() == sio::make_error_code(sio::codec_error::json_too_deep));
  CHECK(jsvalue::parse_json(std::string(100000, '[')).error() == sio::make_error_code(sio::codec_error::json_too_deep));
}

TEST_CASE("value: many duplicate keys take linear time and keep JavaScript's order") {
  std::string text = "{";
  for (int i = 0; i < 20000; ++i) text += "\"k" + std::to_string(i % 100) + "\":" + std::to_string(i) + ",";
  text += "\"z\":0}";
  auto v = jsvalue::parse_json(text);
  REQUIRE(v.has_value());
  REQUIRE(v->size() == 101);
  auto it = v->begin();
  CHECK(it.key() == "k0");
  CHECK(it.value() == 19900);
  CHECK((*v)["k99"] == 19999);
  CHECK(std::prev(v->end()).key() == "z");
}

TEST_CASE("value: invalid UTF-8 is replaced as Buffer.toString does") {
  // Expected from Node 20: Buffer.from(hex, "hex").toString("utf8").
  const std::pair<std::string, std::string> rows[] = {
      {"", ""},
      {"abc", "abc"},
      {"\xe2\x82\x9f", "\xe2\x82\x9f"},
      {"\xf0\x90\x80\x80", "\xf0\x90\x80\x80"},
      {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
      {"\xf0\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
      {"\xe2\x82", "\xef\xbf\xbd"},
      {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
      {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},
      {"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
      {"a\xff"
       "b",
       "a\xef\xbf\xbd"
       "b"},
      {"\xce", "\xef\xbf\xbd"},
  };
  for (const auto& [in, out] : rows) {
    CAPTURE(in);
    CHECK(jsvalue::to_well_formed_utf8(in) == out);
    CHECK(jsvalue::is_well_formed_utf8(in) == (in == out));
  }
}

TEST_CASE("value: payloads with attachments, both ways") {
  const std::vector<std::string> attachments = {"\x01\x02\x03"s, "\x00"s};
  auto v = jsvalue::from_payload(R"(["bin",{"_placeholder":true,"num":0},{"n":{"_placeholder":true,"num":1}},1.5])",
                                 attachments);
  REQUIRE(v.has_value());
  CHECK((*v)[1] == bin({1, 2, 3}));
  CHECK((*v)[2]["n"] == bin({0}));
  auto p = jsvalue::to_payload(*v);
  CHECK(p.json == R"(["bin",{"_placeholder":true,"num":0},{"n":{"_placeholder":true,"num":1}},1.5])");
  CHECK(p.attachments == attachments);

  // {"_placeholder":false} is data, not a placeholder.
  auto plain = jsvalue::from_payload(R"([{"_placeholder":false,"num":0}])", {});
  REQUIRE(plain.has_value());
  CHECK(jsvalue::to_js_json(*plain) == R"([{"_placeholder":false,"num":0}])");

  for (const char* bad : {R"([{"_placeholder":true,"num":2}])", R"([{"_placeholder":true,"num":-1}])",
                          R"([{"_placeholder":true,"num":"0"}])", R"([{"_placeholder":true}])"}) {
    CAPTURE(bad);
    CHECK(jsvalue::from_payload(bad, attachments).error() ==
          sio::make_error_code(sio::codec_error::invalid_placeholder));
  }
  CHECK(jsvalue::from_payload("[", attachments).error() == sio::make_error_code(sio::codec_error::invalid_json));
}

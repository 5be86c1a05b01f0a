#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/jsvalue/msgpack.hpp"
#include "tests/support/spec_bytes.hpp"

using namespace std::string_literals;
namespace jsvalue = sio::jsvalue;
using sio::test::hex;
using sio::test::spec_bytes;
namespace msgpack = sio::jsvalue::msgpack;
using jsvalue::value;

namespace {

value bin(std::vector<std::uint8_t> bytes) { return value::binary(std::move(bytes)); }

value json(std::string_view text) {
  auto v = jsvalue::parse_json(text);
  REQUIRE(v.has_value());
  return *v;
}

}  // namespace

TEST_CASE("msgpack: notepack.io's bytes, encoded and decoded") {
  // Observed: require("notepack.io").encode(JSON.parse(json)) with notepack.io 3.0.1 (the
  // version @socket.io/redis-adapter 8 depends on), Node 20.
  const std::pair<const char*, const char*> rows[] = {
      {"0", "00"},
      {"1", "01"},
      {"127", "7f"},
      {"128", "cc80"},
      {"255", "ccff"},
      {"256", "cd0100"},
      {"65535", "cdffff"},
      {"65536", "ce00010000"},
      {"4294967295", "ceffffffff"},
      {"4294967296", "cf0000000100000000"},
      {"9007199254740991", "cf001fffffffffffff"},
      {"9007199254740992", "cf0020000000000000"},
      {"-1", "ff"},
      {"-32", "e0"},
      {"-33", "d0df"},
      {"-128", "d080"},
      {"-129", "d1ff7f"},
      {"-32768", "d18000"},
      {"-32769", "d2ffff7fff"},
      {"-2147483648", "d280000000"},
      {"-2147483649", "d3ffffffff7fffffff"},
      {"-9007199254740992", "d3ffe0000000000000"},
      {"1.5", "cb3ff8000000000000"},
      {"-1.5", "cbbff8000000000000"},
      {"0.1", "cb3fb999999999999a"},
      {"\"\"", "a0"},
      {"\"a\"", "a161"},
      {"\"é😀\"", "a6c3a9f09f9880"},
      {"[]", "90"},
      {"[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", "9f010101010101010101010101010101"},
      {"[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", "dc001001010101010101010101010101010101"},
      {"{}", "80"},
      {"null", "c0"},
      {"true", "c3"},
      {"false", "c2"},
      {R"({"a":{"b":[1,{"c":null}]}})", "81a16181a162920181a163c0"},
      {R"(["xXJiA4",{"type":2,"data":["news",1,{"x":1}],"nsp":"/"},{"rooms":[],"except":[],"flags":{}}])",
       "93a678584a69413483a47479706502a46461746193a46e6577730181a17801a36e7370a12f83a5726f6f6d7390a665786365707490a566"
       "6c61677380"},
  };
  for (const auto& [text, bytes] : rows) {
    CAPTURE(text);
    const value v = json(text);
    CHECK(hex(msgpack::encode(v)) == bytes);
    auto back = msgpack::decode(spec_bytes(bytes));
    REQUIRE(back.has_value());
    CHECK(jsvalue::to_js_json(*back) == text);
  }
}

TEST_CASE("msgpack: JavaScript numbers: integral doubles are integers, the rest float64") {
  const std::pair<value, const char*> rows[] = {
      {value(1.0), "01"},
      {value(-0.0), "00"},  // Math.floor(-0) === -0 and -0 >= 0: fixint 0
      {value(-32.0), "e0"},
      {value(65536.0), "ce00010000"},
      {value(-2147483649.0), "d3ffffffff7fffffff"},
      {value(std::numeric_limits<double>::quiet_NaN()), "cb7ff8000000000000"},
      {value(std::numeric_limits<double>::infinity()), "cb7ff0000000000000"},
      {value(-std::numeric_limits<double>::infinity()), "cbfff0000000000000"},
      {value(std::uint64_t{18446744073709551615ULL}), "cfffffffffffffffff"},
      {value(std::int64_t{INT64_MIN}), "d38000000000000000"},
      {value(std::int64_t{5}), "05"},
      // notepack writes integral doubles >= 2^64 as a wrapped uint64 (1e300 as cf 00..00);
      // the value survives here only as a float64.
      {value(1e300), "cb7e37e43c8800759c"},
  };
  for (const auto& [v, bytes] : rows) {
    CAPTURE(bytes);
    CHECK(hex(msgpack::encode(v)) == bytes);
  }
}

TEST_CASE("msgpack: every size class of str, bin, array and map") {
  const struct {
    std::size_t n;
    const char* str;
    const char* bin;
    const char* arr;
    const char* map;
  } rows[] = {
      {0, "a0", "c400", "90", "80"},
      {15, "af", "c40f", "9f", "8f"},
      {16, "b0", "c410", "dc0010", "de0010"},
      {31, "bf", "c41f", "dc001f", "de001f"},
      {32, "d920", "c420", "dc0020", "de0020"},
      {255, "d9ff", "c4ff", "dc00ff", "de00ff"},
      {256, "da0100", "c50100", "dc0100", "de0100"},
      {65535, "daffff", "c5ffff", "dcffff", "deffff"},
      {65536, "db00010000", "c600010000", "dd00010000", "df00010000"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.n);
    const value s(std::string(row.n, 'x'));
    const value b = bin(std::vector<std::uint8_t>(row.n, 7));
    value a = value::array();
    value m = value::object();
    for (std::size_t i = 0; i < row.n; ++i) {
      a.push_back(nullptr);
      jsvalue::detail::append_member(m, std::to_string(i), nullptr);
    }
    for (const auto& [v, header] : {std::pair{s, row.str}, {b, row.bin}, {a, row.arr}, {m, row.map}}) {
      const std::string bytes = msgpack::encode(v);
      CHECK(hex(bytes.substr(0, std::string_view(header).size() / 2)) == header);
      auto back = msgpack::decode(bytes);
      REQUIRE(back.has_value());
      CHECK(*back == v);
    }
  }
}

TEST_CASE("msgpack: the decoder takes forms notepack never writes") {
  const std::pair<const char*, const char*> rows[] = {
      {"cc01", "1"},  // not the smallest form
      {"cd0001", "1"},
      {"ce00000001", "1"},
      {"cf0000000000000001", "1"},
      {"d001", "1"},
      {"d0ff", "-1"},
      {"d1fffe", "-2"},
      {"d2fffffffd", "-3"},
      {"d3fffffffffffffffc", "-4"},
      {"cfffffffffffffffff", "18446744073709551615"},
      {"ca3fc00000", "1.5"},  // float32
      {"d903616263", "\"abc\""},
      {"da0003616263", "\"abc\""},
      {"db00000003616263", "\"abc\""},
      {"dc0002c3c2", "[true,false]"},
      {"dd00000001c0", "[null]"},
      {"de0001a16101", R"({"a":1})"},
      {"df00000001a16101", R"({"a":1})"},
      {"c500020102", R"({"type":"Buffer","data":[1,2]})"},
      {"c60000000103", R"({"type":"Buffer","data":[3]})"},
  };
  for (const auto& [bytes, text] : rows) {
    CAPTURE(bytes);
    auto v = msgpack::decode(spec_bytes(bytes));
    REQUIRE(v.has_value());
    CHECK(jsvalue::to_js_json(*v) == text);
  }
}

TEST_CASE("msgpack: notepack's extensions") {
  // Observed: notepack.encode([new Date("2000-06-13T00:00:00.000Z"), new Date("2000-06-13T00:00:00.123Z"),
  // new Date(-500), new Date(8.64e15)]).
  const std::string dates =
      spec_bytes("94 d6ff39457980 d7ff1d53530039457980 c70cff1dcd6500ffffffffffffffff c70cff00000000000007dba8218000");
  auto v = msgpack::decode(dates);
  REQUIRE(v.has_value());
  CHECK(
      jsvalue::to_js_json(*v) ==
      R"(["2000-06-13T00:00:00.000Z","2000-06-13T00:00:00.123Z","1969-12-31T23:59:59.500Z","+275760-09-13T00:00:00.000Z"])");

  const std::pair<const char*, const char*> rows[] = {
      // undefined, as older notepack wrote it: null in an array, gone from a map.
      {"92 d40000 01", "[null,1]"},
      {"82 a161 d40000 a162 c0", R"({"b":null})"},
      {"d40000", "null"},
      {"d400ff", "null"},
      // Dates out of JavaScript's range are Invalid Dates, which JSON-encode as null.
      {"c70cff 00000000 000007dba8218001", "null"},  // 8.64e12 s + 1 s
      {"c70cff 00000000 000007dba8218000", "\"+275760-09-13T00:00:00.000Z\""},
      {"c70cff 3b9ac9ff fffffffffffff1ef", "\"1969-12-31T23:00:00.000Z\""},  // -3601 s + 999999999 ns
      {"c70cff 3b9ac9ff fffff82457de7fff", "\"-271821-04-20T00:00:00.000Z\""},
      {"c70cff 00000000 fffff82457de7fff", "null"},
      {"d7ff 00000004 00000000", "\"1970-01-01T00:00:00.000Z\""},  // 1 ns
      {"d7ff fffffffc ffffffff", "\"2106-02-07T06:28:16.073Z\""},  // 2^30 - 1 ns, as notepack takes it
      {"d7ff 00000003 ffffffff", "\"2514-05-30T01:53:03.000Z\""},  // 2^34 - 1 s
      // notepack 2.x: Date as fixext 8 type 0 (int64 ms), ArrayBuffer as ext type 0.
      {"d700 00000000 3b9aca00", "\"1970-01-12T13:46:40.000Z\""},
      {"d700 ffffffff ffffffff", "\"1969-12-31T23:59:59.999Z\""},
      {"c70300 010203", R"({"type":"Buffer","data":[1,2,3]})"},
      {"c8000100 09", R"({"type":"Buffer","data":[9]})"},
      {"c900000000 00", R"({"type":"Buffer","data":[]})"},
      // Any other extension: [type, data], as notepack gives it.
      {"d505 aabb", R"([5,{"type":"Buffer","data":[170,187]}])"},
      {"d4ff 01", R"([-1,{"type":"Buffer","data":[1]}])"},
      {"d800 00000000000000000000000000000000", R"([0,{"type":"Buffer","data":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}])"},
      {"c70201 aabb", R"([1,{"type":"Buffer","data":[170,187]}])"},
      {"c8000cff 000000000000000000000000", R"([-1,{"type":"Buffer","data":[0,0,0,0,0,0,0,0,0,0,0,0]}])"},
      {"c701ff 00", R"([-1,{"type":"Buffer","data":[0]}])"},
  };
  for (const auto& [bytes, text] : rows) {
    CAPTURE(bytes);
    auto d = msgpack::decode(spec_bytes(bytes));
    REQUIRE(d.has_value());
    CHECK(jsvalue::to_js_json(*d) == text);
  }
}

TEST_CASE("msgpack: ISO dates as Date.prototype.toISOString writes them") {
  // Expected from Node 20: new Date(ms).toISOString().
  const std::pair<std::int64_t, const char*> rows[] = {
      {0, "1970-01-01T00:00:00.000Z"},
      {960854400000, "2000-06-13T00:00:00.000Z"},
      {960854400123, "2000-06-13T00:00:00.123Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
      {-499, "1969-12-31T23:59:59.501Z"},
      {951782400000, "2000-02-29T00:00:00.000Z"},
      {253402300800000, "+010000-01-01T00:00:00.000Z"},
      {253402300799999, "9999-12-31T23:59:59.999Z"},
      {-62167219200000, "0000-01-01T00:00:00.000Z"},
      {-62198755200000, "-000001-01-01T00:00:00.000Z"},
      {8640000000000000, "+275760-09-13T00:00:00.000Z"},
      {-8640000000000000, "-271821-04-20T00:00:00.000Z"},
  };
  for (const auto& [ms, iso] : rows) {
    CAPTURE(ms);
    CHECK(msgpack::js_iso_date(ms) == iso);
  }
  CHECK_FALSE(msgpack::js_iso_date(8640000000000001));
  CHECK_FALSE(msgpack::js_iso_date(-8640000000000001));
  CHECK_FALSE(msgpack::js_iso_date(INT64_MIN));
}

TEST_CASE("msgpack: map keys, duplicates and strings as Node reads them") {
  const std::pair<const char*, const char*> rows[] = {
      {"83 01 c3 ff c2 cb3ff8000000000000 c0", R"({"1":true,"-1":false,"1.5":null})"},
      {"82 c3 01 c0 02", R"({"true":1,"null":2})"},
      {"81 d40000 01", R"({"undefined":1})"},
      {"83 a161 01 a162 02 a161 03", R"({"a":3,"b":2})"},
      {"a3 61 ff 62",
       "\"a\xef\xbf\xbd"
       "b\""},
      {"81 a2 c0af 01", "{\"\xef\xbf\xbd\xef\xbf\xbd\":1}"},
  };
  for (const auto& [bytes, text] : rows) {
    CAPTURE(bytes);
    auto d = msgpack::decode(spec_bytes(bytes));
    REQUIRE(d.has_value());
    CHECK(jsvalue::to_js_json(*d) == text);
  }
  for (const char* bad : {"81 90 01", "81 80 01", "81 c400 01", "81 d50100 01"}) {
    CAPTURE(bad);
    CHECK(msgpack::decode(spec_bytes(bad)).error() ==
          jsvalue::make_error_code(jsvalue::jsvalue_error::msgpack_bad_key));
  }
  // Many keys, many duplicates: last value, first position.
  std::string many = spec_bytes("de 4e20");
  for (int i = 0; i < 20000; ++i) {
    const std::string key = "k" + std::to_string(i % 50);
    many.push_back(static_cast<char>(0xa0 | key.size()));
    many += key;
    many += spec_bytes("cd") + static_cast<char>(i >> 8) + static_cast<char>(i & 0xff);
  }
  auto m = msgpack::decode(many);
  REQUIRE(m.has_value());
  REQUIRE(m->size() == 50);
  CHECK(m->begin().key() == "k0");
  CHECK(m->begin().value() == 19950);
}

TEST_CASE("msgpack: round trips keep key order and binary") {
  value v = value::array();
  v.push_back("bin");
  v.push_back(bin({1, 2, 3}));
  value o = value::object();
  jsvalue::detail::append_member(o, "z", 1);
  jsvalue::detail::append_member(o, "a", value::array({bin({}), -1.25, nullptr, "é"}));
  jsvalue::detail::append_member(o, "m", value::object());
  v.push_back(o);
  const std::string bytes = msgpack::encode(v);
  CHECK(hex(bytes) == hex(spec_bytes(R"(93 a3"bin" c403010203 83 a1"z" 01 a1"a" 94 c400 cbbff4000000000000 c0 a2c3a9
                                        a1"m" 80)")));
  auto back = msgpack::decode(bytes);
  REQUIRE(back.has_value());
  CHECK(*back == v);
  CHECK(back->at(2).begin().key() == "z");
  CHECK(msgpack::encode(*back) == bytes);
}

TEST_CASE("msgpack: bad input is an error, never a crash") {
  using E = jsvalue::jsvalue_error;
  const std::pair<const char*, E> rows[] = {
      {"", E::msgpack_truncated},
      {"c1", E::msgpack_invalid_byte},
      {"91 c1", E::msgpack_invalid_byte},
      {"00 00", E::msgpack_trailing_bytes},
      {"90 c0", E::msgpack_trailing_bytes},
      {"a5 6162", E::msgpack_truncated},
      {"d9", E::msgpack_truncated},
      {"da 00", E::msgpack_truncated},
      {"c4 05 0102", E::msgpack_truncated},
      {"cd 01", E::msgpack_truncated},
      {"cb 3ff8", E::msgpack_truncated},
      {"d6 ff 3945", E::msgpack_truncated},
      {"c7 0c ff 00", E::msgpack_truncated},
      {"d4", E::msgpack_truncated},
      {"92 01", E::msgpack_truncated},
      {"81 a161", E::msgpack_truncated},
      // Counts the input cannot hold fail before anything is allocated for them.
      {"dd ffffffff", E::msgpack_truncated},
      {"df ffffffff", E::msgpack_truncated},
      {"db ffffffff", E::msgpack_truncated},
      {"c6 ffffffff", E::msgpack_truncated},
      {"c9 ffffffff 01", E::msgpack_truncated},
      {"dd 00000003 0102", E::msgpack_truncated},
      {"df 00000002 a161 01 a162", E::msgpack_truncated},
  };
  for (const auto& [bytes, err] : rows) {
    CAPTURE(bytes);
    CHECK(msgpack::decode(spec_bytes(bytes)).error() == jsvalue::make_error_code(err));
  }

  // Every proper prefix of a message is truncated.
  const std::string whole = spec_bytes(R"(93 a6"xXJiA4" 83 a4"type" 02 a4"data" 94 a3"bin" c403010203
      d6ff39457980 cb3ff8000000000000 a3"nsp" a1"/" 83 a5"rooms" 91 a5"room1" a6"except" 90 a5"flags" 81 a7"timeout"
      cd01f4)");
  REQUIRE(msgpack::decode(whole).has_value());
  for (std::size_t n = 0; n < whole.size(); ++n) {
    CAPTURE(n);
    CHECK(msgpack::decode(whole.substr(0, n)).error() == jsvalue::make_error_code(E::msgpack_truncated));
  }
}

TEST_CASE("msgpack: nesting limit, just under and just over") {
  for (const char open : {'\x91', '\x81'}) {
    auto nested = [&](std::size_t depth) {
      std::string s;
      for (std::size_t i = 0; i < depth; ++i) {
        s.push_back(open);
        if (open == '\x81') s += "\xa1k";
      }
      s.push_back('\x01');
      return s;
    };
    CHECK(msgpack::decode(nested(5), {5}).has_value());
    CHECK(msgpack::decode(nested(6), {5}).error() ==
          jsvalue::make_error_code(jsvalue::jsvalue_error::msgpack_too_deep));
    CHECK(msgpack::decode(nested(128)).has_value());
    CHECK(msgpack::decode(nested(129)).error() == jsvalue::make_error_code(jsvalue::jsvalue_error::msgpack_too_deep));
    CHECK(msgpack::decode(nested(100000)).error() ==
          jsvalue::make_error_code(jsvalue::jsvalue_error::msgpack_too_deep));
  }
  // An empty container counts as a level too.
  CHECK(msgpack::decode(spec_bytes("91 91 90"), {3}).has_value());
  CHECK(msgpack::decode(spec_bytes("91 91 91 90"), {3}).error() ==
        jsvalue::make_error_code(jsvalue::jsvalue_error::msgpack_too_deep));
}

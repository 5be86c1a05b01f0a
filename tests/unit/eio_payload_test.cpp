#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/engineio/payload.hpp"
#include "tests/support/splits.hpp"

using namespace std::string_literals;
namespace eio = sio::engineio;
using eio::packet_type;

namespace {

// Decodes `body` fed in the given chunks; all ways of cutting must agree.
sio::result<std::vector<eio::packet>> decode_chunks(const std::vector<std::string_view>& chunks,
                                                    eio::payload_limits limits = {}) {
  eio::payload_decoder d(limits);
  std::vector<eio::packet> out;
  for (auto c : chunks)
    if (auto ec = d.feed(c, out)) return ec;
  if (auto ec = d.finish(out)) return ec;
  return out;
}

void check_all_splits(const std::string& body, const std::vector<eio::packet>& expected) {
  for (const auto& chunks : sio::test::splits_of(body)) {
    auto r = decode_chunks(chunks);
    REQUIRE(r.has_value());
    CHECK(*r == expected);
  }
}

}  // namespace

TEST_CASE("engine.io payload: spec examples, whole, byte by byte and in random splits") {
  const struct {
    std::string body;
    std::vector<eio::packet> packets;
  } rows[] = {
      {"4hello\x1e"
       "2\x1e"
       "4world",
       {{packet_type::message, "hello"}, {packet_type::ping, ""}, {packet_type::message, "world"}}},
      {"4hello\x1e"
       "bAQIDBA==",
       {{packet_type::message, "hello"}, {packet_type::message, "\x01\x02\x03\x04"s, true}}},
      {"6", {{packet_type::noop, ""}}},
      {"1", {{packet_type::close, ""}}},
      {"4", {{packet_type::message, ""}}},
      {"b", {{packet_type::message, "", true}}},
      {"40\x1e"
       "42[\"msg\",\"héllo\"]",
       {{packet_type::message, "0"}, {packet_type::message, "2[\"msg\",\"héllo\"]"}}},
      {R"(0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000})",
       {{packet_type::open,
         R"({"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000})"}}},
  };
  for (const auto& row : rows) {
    CAPTURE(row.body);
    check_all_splits(row.body, row.packets);
    CHECK(eio::encode_payload(row.packets) == row.body);
  }
}

TEST_CASE("engine.io payload: round trip of many packets with binary") {
  std::vector<eio::packet> packets;
  for (int i = 0; i < 50; ++i) {
    if (i % 3 == 0) {
      std::string bytes;
      for (int k = 0; k < i; ++k) bytes.push_back(static_cast<char>((k * 37 + i) & 0xff));
      packets.push_back({packet_type::message, bytes, true});
    } else {
      packets.push_back({packet_type::message, "2[\"e\"," + std::to_string(i) + "]"});
    }
  }
  const std::string body = eio::encode_payload(packets);
  check_all_splits(body, packets);
}

TEST_CASE("engine.io payload: malformed bodies fail cleanly") {
  const std::pair<std::string, sio::codec_error> rows[] = {
      {"", sio::codec_error::empty_packet},
      {"4a\x1e", sio::codec_error::empty_packet},
      {"\x1e"
       "4a",
       sio::codec_error::empty_packet},
      {"4a\x1e\x1e"
       "4b",
       sio::codec_error::empty_packet},
      {"abc", sio::codec_error::unknown_packet_type},
      {"4a\x1e"
       "9",
       sio::codec_error::unknown_packet_type},
      {"b@@@@", sio::codec_error::invalid_base64},
      {"bAQI", sio::codec_error::invalid_base64},  // wrong length
  };
  for (const auto& [body, error] : rows) {
    CAPTURE(body);
    for (const auto& chunks : sio::test::splits_of(body, 5)) {
      auto r = decode_chunks(chunks);
      REQUIRE(r.has_error());
      CHECK(r.error() == sio::make_error_code(error));
    }
  }
}

TEST_CASE("engine.io payload: the size limit holds just under and just over") {
  const std::string body = "4" + std::string(99, 'x');  // 100 bytes
  CHECK(eio::decode_payload(body, {100}).has_value());
  CHECK(eio::decode_payload(body, {99}).error() == sio::make_error_code(sio::codec_error::payload_too_large));
  // Fed in pieces, the decoder stops at the limit without buffering the rest.
  eio::payload_decoder d({10});
  std::vector<eio::packet> out;
  CHECK_FALSE(d.feed("4abcdefghi", out));
  CHECK(d.feed("j", out) == sio::make_error_code(sio::codec_error::payload_too_large));
  CHECK(d.feed("4", out) == sio::make_error_code(sio::codec_error::payload_too_large));
}

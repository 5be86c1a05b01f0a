#include <doctest/doctest.h>

#include <string>

#include "core/engineio/packet.hpp"

using namespace std::string_literals;
namespace eio = sio::engineio;

TEST_CASE("engine.io packet: spec examples encode and decode") {
  const struct {
    eio::packet_type type;
    std::string data;
    std::string wire;
  } rows[] = {
      {eio::packet_type::open, R"({"sid":"abc"})", R"(0{"sid":"abc"})"},
      {eio::packet_type::close, "", "1"},
      {eio::packet_type::ping, "", "2"},
      {eio::packet_type::pong, "", "3"},
      {eio::packet_type::ping, "probe", "2probe"},
      {eio::packet_type::pong, "probe", "3probe"},
      {eio::packet_type::message, "hello", "4hello"},
      {eio::packet_type::message, "", "4"},
      {eio::packet_type::message, "héllo €", "4héllo €"},
      {eio::packet_type::upgrade, "", "5"},
      {eio::packet_type::noop, "", "6"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.wire);
    CHECK(eio::encode_text(row.type, row.data) == row.wire);
    std::string scratch;
    auto p = eio::decode_text(row.wire, scratch);
    REQUIRE(p.has_value());
    CHECK(p->type == row.type);
    CHECK(p->data == row.data);
    CHECK_FALSE(p->binary);
  }
}

TEST_CASE("engine.io packet: binary") {
  const std::string frame = "\x01\x02\x03\x04"s;
  auto bin = eio::decode_binary(frame);
  CHECK(bin.type == eio::packet_type::message);
  CHECK(bin.binary);
  CHECK(bin.data == "\x01\x02\x03\x04"s);

  // A 'b' text frame is base64 binary, as the reference parser decodes it.
  std::string scratch;
  auto p = eio::decode_text("bAQIDBA==", scratch);
  REQUIRE(p.has_value());
  CHECK(p->binary);
  CHECK(p->type == eio::packet_type::message);
  CHECK(p->data == "\x01\x02\x03\x04"s);
}

TEST_CASE("engine.io packet: bad frames are errors") {
  std::string scratch;
  CHECK(eio::decode_text("", scratch).error() == sio::make_error_code(sio::codec_error::empty_packet));
  for (const char* bad : {"7", "9x", "abc", "x", " 4", "\x1e"}) {
    CAPTURE(bad);
    CHECK(eio::decode_text(bad, scratch).error() == sio::make_error_code(sio::codec_error::unknown_packet_type));
  }
  CHECK(eio::decode_text("b!!!", scratch).error() == sio::make_error_code(sio::codec_error::invalid_base64));
}

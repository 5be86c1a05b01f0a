#include <doctest/doctest.h>

#include "core/engineio/handshake.hpp"

namespace eio = sio::engineio;

TEST_CASE("engine.io handshake: key order and values as the reference") {
  eio::handshake h{"lv_VI97HAXpY6yYWAAAC", {"websocket"}, 25000, 20000, 1000000};
  CHECK(
      eio::encode_handshake(h) ==
      R"({"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})");
  h.upgrades.clear();
  CHECK(
      eio::encode_handshake(h) ==
      R"({"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})");
  auto back = eio::decode_handshake(eio::encode_handshake(h));
  REQUIRE(back.has_value());
  CHECK(*back == h);
}

TEST_CASE("engine.io handshake: python-socketio's open packet has no maxPayload") {
  auto h =
      eio::decode_handshake(R"({"sid": "x1", "upgrades": ["websocket"], "pingTimeout": 20000, "pingInterval": 25000})");
  REQUIRE(h.has_value());
  CHECK(h->sid == "x1");
  CHECK(h->ping_interval == 25000);
  CHECK_FALSE(h->max_payload.has_value());
}

TEST_CASE("engine.io handshake: bad open packets are errors") {
  for (const char* bad : {"", "[]", "{}", R"({"sid":""})", R"({"sid":1,"pingInterval":1,"pingTimeout":1})",
                          R"({"sid":"a","pingInterval":"x","pingTimeout":1})", R"({"sid":"a"})", "{"}) {
    CAPTURE(bad);
    CHECK(eio::decode_handshake(bad).error() == sio::make_error_code(sio::codec_error::invalid_handshake));
  }
}

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/socketio/decoder.hpp"
#include "core/socketio/encoder.hpp"

using namespace std::string_literals;
namespace sio_ = sio::socketio;
using sio_::packet_type;

TEST_CASE("socket.io encoder: spec examples") {
  const struct {
    sio_::packet p;
    std::string wire;
  } rows[] = {
      {{packet_type::connect, "/", {}, "", {}}, "0"},
      {{packet_type::connect, "/", {}, R"({"token":"123"})", {}}, R"(0{"token":"123"})"},
      {{packet_type::connect, "/admin", {}, R"({"token":"123"})", {}}, R"(0/admin,{"token":"123"})"},
      {{packet_type::connect, "/", {}, R"({"sid":"oSO0OpakMV_3jnilAAAA"})", {}}, R"(0{"sid":"oSO0OpakMV_3jnilAAAA"})"},
      {{packet_type::connect_error, "/random", {}, R"({"message":"Invalid namespace"})", {}},
       R"(4/random,{"message":"Invalid namespace"})"},
      {{packet_type::disconnect, "/admin", {}, "", {}}, "1/admin,"},
      {{packet_type::disconnect, "/", {}, "", {}}, "1"},
      {{packet_type::event, "/", {}, R"(["foo"])", {}}, R"(2["foo"])"},
      {{packet_type::event, "/admin", {}, R"(["bar"])", {}}, R"(2/admin,["bar"])"},
      {{packet_type::event, "/", 12, R"(["foo"])", {}}, R"(212["foo"])"},
      {{packet_type::ack, "/admin", 13, R"(["bar"])", {}}, R"(3/admin,13["bar"])"},
      {{packet_type::ack, "/", 0, "[]", {}}, "30[]"},
      {{packet_type::event, "/", {}, R"(["baz",{"_placeholder":true,"num":0}])", {"\x01\x02\x03"s}},
       R"(51-["baz",{"_placeholder":true,"num":0}])"},
      {{packet_type::ack, "/admin", 456, R"([{"_placeholder":true,"num":0}])", {"\x01"s}},
       R"(61-/admin,456[{"_placeholder":true,"num":0}])"},
      {{packet_type::ack, "/", 15, R"(["bar",{"_placeholder":true,"num":0}])", {"x"s}},
       R"(61-15["bar",{"_placeholder":true,"num":0}])"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.wire);
    CHECK(sio_::encode(row.p) == row.wire);
    // And back: the decoder rebuilds the same packet, attachments included.
    sio_::decoder d;
    auto first = d.on_text(row.wire);
    REQUIRE(first.has_value());
    std::optional<sio_::packet> got = *first;
    for (const auto& a : row.p.attachments) {
      REQUIRE_FALSE(got.has_value());
      auto next = d.on_binary(a);
      REQUIRE(next.has_value());
      got = *next;
    }
    REQUIRE(got.has_value());
    auto expected = row.p;
    if (!expected.attachments.empty())
      expected.type = expected.type == packet_type::event ? packet_type::binary_event : packet_type::binary_ack;
    CHECK(*got == expected);
  }
}

TEST_CASE("socket.io encoder: event data helpers") {
  std::vector<std::string_view> args = {"1", R"("2")", R"({"3":[true]})"};
  CHECK(sio_::make_event_data("message", args) == R"(["message",1,"2",{"3":[true]}])");
  CHECK(sio_::make_event_data("a\"b", {}) == R"(["a\"b"])");
  CHECK(sio_::make_array(args) == R"([1,"2",{"3":[true]}])");
  CHECK(sio_::make_array({}) == "[]");
  CHECK(sio_::placeholder_json(3) == R"({"_placeholder":true,"num":3})");

  auto ev = sio_::split_event(R"(["chat", {"z":1,"a":2}, 1.0, "x"])");
  REQUIRE(ev.has_value());
  CHECK(ev->name == "chat");
  CHECK(ev->name_raw == R"("chat")");
  REQUIRE(ev->args.size() == 3);
  CHECK(ev->args[0] == R"({"z":1,"a":2})");
  CHECK(ev->args[1] == "1.0");
  CHECK(ev->args[2] == R"("x")");
  // What the client sent is what an echo returns, byte for byte.
  CHECK(sio_::make_event_data("message-back", ev->args) == R"(["message-back",{"z":1,"a":2},1.0,"x"])");
  CHECK(sio_::split_event("[]").has_error());
  CHECK(sio_::split_event("{}").has_error());
}

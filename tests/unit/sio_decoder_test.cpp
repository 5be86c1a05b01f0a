#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/engineio/payload.hpp"
#include "core/socketio/decoder.hpp"
#include "core/socketio/encoder.hpp"
#include "tests/support/splits.hpp"

using namespace std::string_literals;
namespace sio_ = sio::socketio;
using sio::codec_error;
using sio_::packet_type;

namespace {
sio::error_code header_error(std::string_view s, const sio_::decoder_limits& limits = {}) {
  auto r = sio_::decode_header(s, limits);
  return r.has_error() ? r.error() : sio::error_code{};
}
sio::error_code code(codec_error e) { return sio::make_error_code(e); }
}  // namespace

TEST_CASE("socket.io decoder: namespaces with and without the trailing comma") {
  const struct {
    std::string wire;
    packet_type type;
    std::string nsp;
    std::optional<std::uint64_t> id;
    std::string data;
  } rows[] = {
      {"0", packet_type::connect, "/", {}, ""},
      {"30", packet_type::ack, "/", 0, ""},  // digits after the type are an ack id
      {"0/custom", packet_type::connect, "/custom", {}, ""},
      {"1/custom", packet_type::disconnect, "/custom", {}, ""},
      {"0/custom,", packet_type::connect, "/custom", {}, ""},
      {R"(0/admin,{"token":"123"})", packet_type::connect, "/admin", {}, R"({"token":"123"})"},
      {R"(2/a/b,7["x"])", packet_type::event, "/a/b", 7, R"(["x"])"},
      {R"(2["x", 1])", packet_type::event, "/", {}, R"(["x", 1])"},
      {R"(2[42,"num event"])", packet_type::event, "/", {}, R"([42,"num event"])"},
      {"3/admin,13[]", packet_type::ack, "/admin", 13, "[]"},
      {R"(4{"message":"not authorized","data":{"reason":"no token"}})",
       packet_type::connect_error,
       "/",
       {},
       R"({"message":"not authorized","data":{"reason":"no token"}})"},
      {R"(4"Unable to connect")", packet_type::connect_error, "/", {}, R"("Unable to connect")"},
      {"2", packet_type::event, "/", {}, ""},  // absent payloads pass the decoder, as in the reference
  };
  for (const auto& row : rows) {
    CAPTURE(row.wire);
    auto h = sio_::decode_header(row.wire);
    REQUIRE(h.has_value());
    CHECK(h->pkt.type == row.type);
    CHECK(h->pkt.nsp == row.nsp);
    CHECK(h->pkt.id == row.id);
    CHECK(h->pkt.data == row.data);
  }
}

TEST_CASE("socket.io decoder: payload validation as the reference") {
  const std::pair<std::string, codec_error> rows[] = {
      {"", codec_error::empty_packet},
      {"7", codec_error::unknown_packet_type},
      {"a", codec_error::unknown_packet_type},
      {R"(0"token")", codec_error::invalid_payload},  // CONNECT must carry an object
      {"0[]", codec_error::invalid_payload},
      {"0/admin,1", codec_error::ok},                // an ack id on a CONNECT: the reference accepts it too
      {"1/admin,{}", codec_error::invalid_payload},  // DISCONNECT carries nothing
      {"1[]", codec_error::invalid_payload},
      {"2{}", codec_error::invalid_payload},
      {"2[]", codec_error::invalid_payload},
      {"2[null]", codec_error::invalid_payload},
      {"2[{}]", codec_error::invalid_payload},
      {"2[true,1]", codec_error::invalid_payload},
      {R"(2["connect"])", codec_error::invalid_payload},
      {R"(2["connect_error"])", codec_error::invalid_payload},
      {R"(2["disconnect"])", codec_error::invalid_payload},
      {R"(2["disconnecting"])", codec_error::invalid_payload},
      {R"(2["newListener"])", codec_error::invalid_payload},
      {R"(2["removeListener"])", codec_error::invalid_payload},
      {R"(2["\u0063onnect"])", codec_error::invalid_payload},  // the same name, escaped
      {R"(2["x",])", codec_error::invalid_json},
      {"2abc", codec_error::invalid_json},
      {"3{}", codec_error::invalid_payload},
      {R"(3"x")", codec_error::invalid_payload},
      {"4[]", codec_error::invalid_payload},
      {"41", codec_error::ok},  // CONNECT_ERROR with ack id 1 and no payload: accepted
      {"\"\xff\"", codec_error::unknown_packet_type},
      {"2[\"\xff\"]", codec_error::invalid_utf8},
      {"5[\"x\"]", codec_error::invalid_attachments},
      {"5-[\"x\"]", codec_error::invalid_attachments},
      {"5a-[\"x\"]", codec_error::invalid_attachments},
      {"51[\"x\"]", codec_error::invalid_attachments},
      {"5", codec_error::invalid_attachments},
      {"51-", codec_error::ok},
      {R"(51-["x",{"_placeholder":true,"num":1}])", codec_error::invalid_placeholder},
      {R"(51-["x",{"_placeholder":true,"num":-1}])", codec_error::invalid_placeholder},
      {R"(51-["x",{"_placeholder":true,"num":0.5}])", codec_error::invalid_placeholder},
      {R"(51-["x",{"_placeholder":true,"num":"0"}])", codec_error::invalid_placeholder},
      {R"(51-["x",{"_placeholder":true}])", codec_error::invalid_placeholder},
      {R"(51-["x",{"_placeholder":true,"num":[0]}])", codec_error::invalid_placeholder},
      {R"(51-["x",{"_placeholder":false,"num":7}])", codec_error::ok},  // not a placeholder
      {R"(50-["x",{"_placeholder":true,"num":0}])", codec_error::invalid_placeholder},
  };
  for (const auto& [wire, error] : rows) {
    CAPTURE(wire);
    CHECK(header_error(wire) == (error == codec_error::ok ? sio::error_code{} : code(error)));
  }
}

TEST_CASE("socket.io decoder: limits just under and just over") {
  sio_::decoder_limits limits;
  limits.max_attachments = 10;
  CHECK_FALSE(header_error("510-[\"x\"]", limits));
  CHECK(header_error("511-[\"x\"]", limits) == code(codec_error::too_many_attachments));
  CHECK(header_error("599999999999999999999999999-[\"x\"]", limits) == code(codec_error::too_many_attachments));

  // Ack ids: exact up to 2^53 - 1, the largest integer a JavaScript peer can hold.
  auto max_id = sio_::decode_header("29007199254740991[\"x\"]");
  REQUIRE(max_id.has_value());
  CHECK(max_id->pkt.id == sio_::max_ack_id);
  CHECK(header_error("29007199254740992[\"x\"]") == code(codec_error::invalid_ack_id));
  CHECK(header_error("2" + std::string(5000, '9') + "[\"x\"]") == code(codec_error::invalid_ack_id));

  limits.max_message_bytes = 20;
  CHECK_FALSE(header_error(R"(2["abcdefghijklmno"])", limits));                                     // 20 bytes
  CHECK(header_error(R"(2["abcdefghijklmnop"])", limits) == code(codec_error::payload_too_large));  // 21

  limits.max_message_bytes = 1'000'000;
  limits.max_json_depth = 4;
  CHECK_FALSE(header_error(R"(2["x",[[[]]]])", limits));
  CHECK(header_error(R"(2["x",[[[[]]]]])", limits) == code(codec_error::json_too_deep));
  CHECK(header_error("2[\"x\"," + std::string(100000, '[')) == code(codec_error::json_too_deep));

  sio_::decoder d({2, 4, 256});
  REQUIRE(d.on_text(R"(51-[1])").has_error());  // header itself is over 4 bytes
  sio_::decoder small({2, 16, 256});
  REQUIRE(small.on_text(R"(51-[1])").has_value());
  CHECK_FALSE(small.on_binary(std::string(16, 'x')).has_error());
  REQUIRE(small.on_text(R"(51-[1])").has_value());
  CHECK(small.on_binary(std::string(17, 'x')).error() == code(codec_error::payload_too_large));
  CHECK_FALSE(small.reconstructing());
}

TEST_CASE("socket.io decoder: attachment reassembly and interleaving errors") {
  sio_::decoder d;
  CHECK(d.on_binary("x").error() == code(codec_error::unexpected_binary));

  auto first = d.on_text(R"(52-["pic",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}])");
  REQUIRE(first.has_value());
  CHECK_FALSE(first->has_value());
  CHECK(d.reconstructing());
  CHECK(d.on_text(R"(2["x"])").error() == code(codec_error::unexpected_text));

  sio_::decoder d2;
  REQUIRE(d2.on_text(R"(52-["pic",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}])").has_value());
  auto mid = d2.on_binary("\x00\x01"s);
  REQUIRE(mid.has_value());
  CHECK_FALSE(mid->has_value());
  auto last = d2.on_binary("\xff"s);
  REQUIRE(last.has_value());
  REQUIRE(last->has_value());
  CHECK((*last)->type == packet_type::binary_event);
  CHECK((*last)->attachments == std::vector<std::string>{"\x00\x01"s, "\xff"s});
  CHECK_FALSE(d2.reconstructing());
  // The decoder is ready for the next packet.
  auto next = d2.on_text(R"(2["after"])");
  REQUIRE(next.has_value());
  CHECK((*next)->data == R"(["after"])");

  // A BINARY_EVENT that announces no attachments is complete at once, as in the reference.
  sio_::decoder d3;
  auto zero = d3.on_text(R"(50-["x"])");
  REQUIRE(zero.has_value());
  CHECK(zero->has_value());
}

TEST_CASE("socket.io decoder: a polling body with a binary event, byte by byte") {
  // One Engine.IO payload carrying a BINARY_EVENT header, its two attachments as base64, and
  // another event: every way of cutting the body decodes to the same Socket.IO packets.
  const std::string body =
      "451-[\"pic\",{\"_placeholder\":true,\"num\":0}]\x1e"
      "bAQID\x1e"
      "42/chat,5[\"hi\",{\"b\":1,\"a\":[1.50]}]";
  for (const auto& chunks : sio::test::splits_of(body)) {
    sio::engineio::payload_decoder payload;
    std::vector<sio::engineio::packet> packets;
    for (auto c : chunks) REQUIRE_FALSE(payload.feed(c, packets));
    REQUIRE_FALSE(payload.finish(packets));
    REQUIRE(packets.size() == 3);
    sio_::decoder d;
    std::vector<sio_::packet> out;
    for (const auto& p : packets) {
      auto r = p.binary ? d.on_binary(p.data) : d.on_text(p.data);
      REQUIRE(r.has_value());
      if (r->has_value()) out.push_back(std::move(**r));
    }
    REQUIRE(out.size() == 2);
    CHECK(out[0].type == packet_type::binary_event);
    CHECK(out[0].attachments == std::vector<std::string>{"\x01\x02\x03"s});
    CHECK(out[1].nsp == "/chat");
    CHECK(out[1].id == 5u);
    CHECK(out[1].data == R"(["hi",{"b":1,"a":[1.50]}])");
    CHECK(sio_::encode(out[1]) == R"(2/chat,5["hi",{"b":1,"a":[1.50]}])");
  }
}

TEST_CASE("socket.io decoder: a DISCONNECT with a reason, for clients of python-socketio") {
  // Flask-SocketIO with always_connect=True refuses with 1{"message":...}; the reference
  // decoder rejects it, a lenient client takes it to show the reason.
  const std::string wire = R"(1{"message":"Connection rejected by server"})";
  CHECK(header_error(wire) == code(codec_error::invalid_payload));
  sio_::decoder_limits lenient;
  lenient.allow_disconnect_payload = true;
  auto h = sio_::decode_header(wire, lenient);
  REQUIRE(h.has_value());
  CHECK(h->pkt.type == packet_type::disconnect);
  CHECK(h->pkt.data == R"({"message":"Connection rejected by server"})");
  CHECK(header_error(R"(1"text")", lenient) == code(codec_error::invalid_payload));
}

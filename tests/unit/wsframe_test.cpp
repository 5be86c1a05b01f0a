// RFC 6455 framing and the upgrade handshake: the RFC's examples, every length form, masking,
// fragmentation, control frames, limits and bad input, fed whole and in random splits.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/transport/ws_handshake.hpp"
#include "core/wsframe/frame.hpp"
#include "tests/support/splits.hpp"

using namespace sio::wsframe;

namespace {

struct collected : frame_sink {
  std::vector<std::string> messages;
  std::vector<bool> binary;
  std::vector<std::pair<opcode, std::string>> controls;
  void on_message(std::string_view d, bool b) override {
    messages.emplace_back(d);
    binary.push_back(b);
  }
  void on_control(opcode op, std::string_view p) override { controls.emplace_back(op, std::string(p)); }
};

// Feeds `chunks` the way a connection does: unconsumed bytes stay in front of the next ones.
sio::result<std::size_t> feed(reader& r, const std::vector<std::string_view>& chunks, collected& out) {
  std::string held;
  for (auto c : chunks) {
    held.append(c);
    auto used = r.consume(held.data(), held.size(), out);
    if (!used) return used.error();
    held.erase(0, *used);
  }
  return held.size();
}

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

}  // namespace

TEST_CASE("wsframe: the RFC 6455 section 5.7 examples") {
  const std::string unmasked_hello = bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
  const std::string masked_hello = bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  CHECK(make_frame(opcode::text, "Hello") == unmasked_hello);
  CHECK(make_frame(opcode::text, "Hello", 0x37fa213d) == masked_hello);
  const std::string fragmented = bytes({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f});
  const std::string ping = bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});

  for (const auto& chunks : sio::test::splits_of(masked_hello)) {
    reader r(1000, true);
    collected out;
    REQUIRE(feed(r, chunks, out).value() == 0);
    REQUIRE(out.messages.size() == 1);
    CHECK(out.messages[0] == "Hello");
    CHECK_FALSE(out.binary[0]);
  }
  const std::string client_side = fragmented + ping;  // the splits are views into it
  for (const auto& chunks : sio::test::splits_of(client_side)) {
    reader r(1000, false);
    collected out;
    REQUIRE(feed(r, chunks, out).value() == 0);
    REQUIRE(out.messages.size() == 1);
    CHECK(out.messages[0] == "Hello");
    REQUIRE(out.controls.size() == 1);
    CHECK(out.controls[0].first == opcode::ping);
    CHECK(out.controls[0].second == "Hello");
  }
}

TEST_CASE("wsframe: every length form round-trips, masked and not") {
  for (std::size_t len : {0u, 1u, 125u, 126u, 127u, 65535u, 65536u, 70000u}) {
    CAPTURE(len);
    std::string payload(len, 'a');
    for (std::size_t i = 0; i < len; ++i) payload[i] = static_cast<char>('a' + i % 26);
    for (bool masked : {false, true}) {
      const auto frame =
          make_frame(opcode::binary, payload, masked ? std::optional<std::uint32_t>(0xa1b2c3d4) : std::nullopt);
      const std::size_t header = (len < 126 ? 2 : len < 65536 ? 4 : 10) + (masked ? 4 : 0);
      CHECK(frame.size() == header + len);
      reader r(100000, masked);
      collected out;
      std::string copy = frame;
      REQUIRE(r.consume(copy.data(), copy.size(), out).value() == frame.size());
      REQUIRE(out.messages.size() == 1);
      CHECK(out.messages[0] == payload);
      CHECK(out.binary[0]);
    }
  }
}

TEST_CASE("wsframe: masking from any offset equals masking from zero") {
  std::string a(37, '\0');
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<char>(i * 7);
  std::string whole = a;
  apply_mask(whole.data(), whole.size(), 0x01020304);
  for (std::size_t cut = 0; cut <= a.size(); ++cut) {
    std::string parts = a;
    apply_mask(parts.data(), cut, 0x01020304, 0);
    apply_mask(parts.data() + cut, parts.size() - cut, 0x01020304, cut);
    CHECK(parts == whole);
  }
}

TEST_CASE("wsframe: protocol errors and limits") {
  struct row {
    const char* name;
    std::string input;
    bool server;
    sio::codec_error expected;
  };
  const std::vector<row> rows = {
      {"reserved bit", bytes({0xc1, 0x80, 0, 0, 0, 0}), true, sio::codec_error::ws_protocol_error},
      {"unknown opcode", bytes({0x83, 0x80, 0, 0, 0, 0}), true, sio::codec_error::ws_protocol_error},
      {"unmasked to a server", bytes({0x81, 0x01, 0x41}), true, sio::codec_error::ws_protocol_error},
      {"masked to a client", bytes({0x81, 0x81, 0, 0, 0, 0, 0x41}), false, sio::codec_error::ws_protocol_error},
      {"fragmented ping", bytes({0x09, 0x00}), false, sio::codec_error::ws_protocol_error},
      {"long ping", bytes({0x89, 0x7e, 0x00, 0x7e}), false, sio::codec_error::ws_protocol_error},
      {"continuation first", bytes({0x80, 0x01, 0x41}), false, sio::codec_error::ws_protocol_error},
      {"text inside a fragmented message", bytes({0x01, 0x01, 0x41, 0x81, 0x01, 0x42}), false,
       sio::codec_error::ws_protocol_error},
      {"64-bit length with the top bit", bytes({0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 1}), false,
       sio::codec_error::ws_protocol_error},
      {"over the limit, from the header alone", bytes({0x82, 0x7e, 0x00, 0x65}), false,
       sio::codec_error::ws_message_too_large},
      {"close with a 1-byte payload", bytes({0x88, 0x01, 0x03}), false, sio::codec_error::ws_protocol_error},
      {"close, reason not UTF-8", bytes({0x88, 0x04, 0x03, 0xe8, 0xc3, 0x28}), false, sio::codec_error::invalid_utf8},
      {"text not UTF-8", bytes({0x81, 0x02, 0xc0, 0xaf}), false, sio::codec_error::invalid_utf8},
      {"text truncated at its end", bytes({0x81, 0x02, 0xe2, 0x82}), false, sio::codec_error::invalid_utf8},
      {"fragmented text, bad in the first fragment (fails before the end)", bytes({0x01, 0x02, 0xed, 0xa0}), false,
       sio::codec_error::invalid_utf8},
      {"fragmented text, truncated at the last fragment", bytes({0x01, 0x01, 0x41, 0x80, 0x01, 0xc3}), false,
       sio::codec_error::invalid_utf8},
      {"fragments adding up over the limit",
       make_frame(opcode::continuation, std::string(60, 'a')).replace(0, 1, 1, '\x02') +
           make_frame(opcode::continuation, std::string(60, 'a')).replace(0, 1, 1, '\x80'),
       false, sio::codec_error::ws_message_too_large},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    reader rd(100, r.server);
    collected out;
    std::string copy = r.input;
    auto used = rd.consume(copy.data(), copy.size(), out);
    REQUIRE_FALSE(used.has_value());
    CHECK(used.error() == sio::make_error_code(r.expected));
  }
  SUBCASE("close codes a peer may not send fail with a protocol error") {
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
      CAPTURE(code);
      reader rd(100, false);
      collected out;
      std::string f = bytes({0x88, 0x02, code >> 8, code & 0xff});
      auto used = rd.consume(f.data(), f.size(), out);
      REQUIRE_FALSE(used.has_value());
      CHECK(used.error() == sio::make_error_code(sio::codec_error::ws_protocol_error));
      CHECK(out.controls.empty());
    }
  }
  SUBCASE("close codes a peer may send, empty closes, and binary that is not UTF-8 are fine") {
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}) {
      CAPTURE(code);
      reader rd(100, false);
      collected out;
      std::string f = bytes({0x88, 0x04, code >> 8, code & 0xff, 0xc3, 0xa9});
      CHECK(rd.consume(f.data(), f.size(), out).value() == f.size());
      CHECK(out.controls.size() == 1);
    }
    reader rd(100, false);
    collected out;
    std::string f = bytes({0x88, 0x00, 0x82, 0x02, 0xc0, 0xaf});
    CHECK(rd.consume(f.data(), f.size(), out).value() == f.size());
    CHECK(out.messages == std::vector<std::string>{bytes({0xc0, 0xaf})});
  }
  SUBCASE("a text message split inside its characters, fragment by fragment, at every byte") {
    const std::string text = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5 \xf0\x9f\x98\x80";
    for (std::size_t cut = 1; cut < text.size(); ++cut) {
      CAPTURE(cut);
      std::string f = make_frame(opcode::continuation, text.substr(0, cut)).replace(0, 1, 1, '\x01') +
                      make_frame(opcode::continuation, text.substr(cut));
      for (const auto& chunks : sio::test::splits_of(f, 2)) {
        reader rd(100, false);
        collected out;
        REQUIRE(feed(rd, chunks, out).value() == 0);
        CHECK(out.messages == std::vector<std::string>{text});
      }
    }
  }
  SUBCASE("just at the limit is fine") {
    reader rd(100, false);
    collected out;
    std::string f = make_frame(opcode::text, std::string(100, 'z'));
    CHECK(rd.consume(f.data(), f.size(), out).value() == f.size());
    CHECK(out.messages.size() == 1);
  }
}

TEST_CASE("ws handshake: the RFC 6455 accept key, the 101 answer and its check") {
  using namespace sio::transport;
  CHECK(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  auto ok = answer_ws_upgrade("dGhlIHNhbXBsZSBub25jZQ==", "13");
  CHECK(ok.ok);
  CHECK(ok.response ==
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
  CHECK_FALSE(check_ws_upgrade_response(ok.response, "dGhlIHNhbXBsZSBub25jZQ==").has_value());
  CHECK(check_ws_upgrade_response(ok.response, "AAAAAAAAAAAAAAAAAAAAAA==").has_value());
  CHECK(check_ws_upgrade_response("HTTP/1.1 400 Bad Request\r\n\r\n", "x")->find("400") != std::string::npos);

  auto old_version = answer_ws_upgrade("dGhlIHNhbXBsZSBub25jZQ==", "8");
  CHECK_FALSE(old_version.ok);
  CHECK(old_version.response.starts_with("HTTP/1.1 426 "));
  CHECK(old_version.response.find("Sec-WebSocket-Version: 13\r\n") != std::string::npos);
  for (const char* bad : {"", "short", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ==dGhl"}) {
    CAPTURE(bad);
    auto r = answer_ws_upgrade(bad, "13");
    CHECK_FALSE(r.ok);
    CHECK(r.response.starts_with("HTTP/1.1 400 "));
  }

  std::string key;
  const auto request =
      ws_upgrade_request("127.0.0.1:3000", "/socket.io/?EIO=4&transport=websocket", key, {{"X-A", "b"}});
  CHECK(request.starts_with("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n"));
  CHECK(request.find("Sec-WebSocket-Key: " + key + "\r\n") != std::string::npos);
  CHECK(request.find("X-A: b\r\n") != std::string::npos);
  CHECK(request.ends_with("\r\n\r\n"));
  CHECK(answer_ws_upgrade(key, "13").ok);
}

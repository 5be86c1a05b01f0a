// transport::ws_connection over a real loopback socket, the peer's side written as raw bytes:
// exact frames both ways, control frames, fragmentation, limits, the close handshake and write
// coalescing.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/transport/ws_connection.hpp"
#include "tests/support/loopback.hpp"

using namespace std::string_literals;
using sio::test::masked;
using sio::transport::ws_connection;
using sio::transport::ws_role;
using strings = std::vector<std::string>;

namespace {

struct recorder final : sio::transport::ws_listener {
  void on_ws_message(ws_connection&, std::string_view data, bool binary) override {
    messages.push_back((binary ? "bin:" : "") + std::string(data));
  }
  void on_ws_closed(ws_connection&) override { ++closed; }
  strings messages;
  int closed = 0;
};

struct ws_fixture : sio::test::loopback {
  explicit ws_fixture(ws_role role = ws_role::server, std::size_t max_message = 1u << 20)
      : ws(std::make_shared<ws_connection>(std::move(near), role, max_message)) {
    ws->set_listener(rec);
  }
  bool wait_messages(std::size_t n) {
    return sio::test::run_until(io, [&] { return rec->messages.size() >= n; });
  }

  std::shared_ptr<recorder> rec = std::make_shared<recorder>();
  std::shared_ptr<ws_connection> ws;
};

}  // namespace

TEST_CASE("ws_connection: a client's masked frames are delivered; the server's go unmasked") {
  ws_fixture f;
  f.ws->start();
  f.write(masked(0x81, "hello") + masked(0x82, "\x00\x01\xff"s, 0x01020304));
  REQUIRE(f.wait_messages(2));
  CHECK(f.rec->messages == strings{"hello", "bin:\x00\x01\xff"s});

  f.ws->send(false, "hi");
  f.ws->send(true, "\x01\x02");
  f.ws->send(false, std::string(200, 'x'));  // a 16-bit length
  CHECK(f.read(8 + 4 + 200) == "\x81\x02hi\x82\x02\x01\x02\x81\x7e\x00\xc8"s + std::string(200, 'x'));
  CHECK(f.rec->closed == 0);
  CHECK(f.ws->is_open());
}

TEST_CASE("ws_connection: a frame split over many reads, and one larger than the read buffer") {
  ws_fixture f;
  f.ws->start();
  const auto frame = masked(0x81, "split into single bytes");
  for (char c : frame) {
    f.write(std::string(1, c));
    f.io.restart();
    f.io.poll();
  }
  REQUIRE(f.wait_messages(1));
  CHECK(f.rec->messages[0] == "split into single bytes");

  std::string big(70000, '\0');  // a 64-bit length, far past the 256-byte idle buffer
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);
  f.write(masked(0x82, big) + masked(0x81, "after"));
  REQUIRE(f.wait_messages(3));
  CHECK(f.rec->messages[1] == "bin:" + big);
  CHECK(f.rec->messages[2] == "after");
}

TEST_CASE("ws_connection: a ping is answered with a pong carrying the same payload") {
  ws_fixture f;
  f.ws->start();
  f.write(masked(0x89, "are you there?"));
  CHECK(f.read(16) ==
        "\x8a\x0e"
        "are you there?"s);
  f.write(masked(0x89, ""));
  CHECK(f.read(2) == "\x8a\x00"s);
  f.write(masked(0x8a, "unasked"));  // a pong nobody asked for is ignored
  f.write(masked(0x81, "still here"));
  REQUIRE(f.wait_messages(1));
  CHECK(f.rec->messages == strings{"still here"});
  CHECK(f.available().empty());
}

TEST_CASE("ws_connection: a fragmented message is reassembled, a ping answered in its middle") {
  ws_fixture f;
  f.ws->start();
  f.write(masked(0x01, "Hel") + masked(0x89, "p"));
  CHECK(f.read(3) == "\x8a\x01p"s);
  CHECK(f.rec->messages.empty());
  f.write(masked(0x00, "lo, "));
  f.write(masked(0x80, "world"));
  REQUIRE(f.wait_messages(1));
  CHECK(f.rec->messages == strings{"Hello, world"});

  // Binary, and the reassembly starts afresh.
  f.write(masked(0x02, "\x01"s) + masked(0x80, "\x02"s));
  REQUIRE(f.wait_messages(2));
  CHECK(f.rec->messages[1] == "bin:\x01\x02"s);
}

TEST_CASE("ws_connection: a message over max_message fails the connection with 1009") {
  SUBCASE("in one frame") {
    ws_fixture f(ws_role::server, 16);
    f.ws->start();
    f.write(masked(0x81, std::string(16, 'a')));  // the limit itself is fine
    REQUIRE(f.wait_messages(1));
    f.write(masked(0x81, std::string(17, 'b')));
    bool eof = false;
    CHECK(f.read_to_eof(eof) == "\x88\x02\x03\xf1"s);
    CHECK(eof);
    CHECK(f.rec->closed == 1);
    CHECK(f.rec->messages.size() == 1);
    CHECK_FALSE(f.ws->is_open());
  }
  SUBCASE("across fragments") {
    ws_fixture f(ws_role::server, 16);
    f.ws->start();
    f.write(masked(0x01, std::string(10, 'a')) + masked(0x80, std::string(7, 'b')));
    bool eof = false;
    CHECK(f.read_to_eof(eof) == "\x88\x02\x03\xf1"s);
    CHECK(eof);
    CHECK(f.rec->closed == 1);
    CHECK(f.rec->messages.empty());
  }
}

TEST_CASE("ws_connection: an unmasked frame from a client fails the connection with 1002") {
  ws_fixture f;
  f.ws->start();
  f.write("\x81\x02hi"s);
  bool eof = false;
  CHECK(f.read_to_eof(eof) == "\x88\x02\x03\xea"s);
  CHECK(eof);
  CHECK(f.rec->closed == 1);
  CHECK(f.rec->messages.empty());
}

TEST_CASE("ws_connection: as a client, frames go masked and a masked frame from the server fails with 1002") {
  ws_fixture f(ws_role::client);
  f.ws->start();
  f.ws->send(false, "hello");
  const auto got = f.read(11);
  REQUIRE(got.size() == 11);
  CHECK(got.substr(0, 2) == "\x81\x85"s);
  std::string payload = got.substr(6);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(payload[i] ^ got[2 + i % 4]);
  CHECK(payload == "hello");

  f.write("\x81\x03hey"s);  // the server's frames are unmasked
  REQUIRE(f.wait_messages(1));
  CHECK(f.rec->messages == strings{"hey"});

  f.write(masked(0x81, "no"));
  bool eof = false;
  const auto closing = f.read_to_eof(eof);
  CHECK(eof);
  REQUIRE(closing.size() == 8);  // a masked close frame: 2 + key + code
  CHECK(closing.substr(0, 2) == "\x88\x82"s);
  std::string code = closing.substr(6);
  for (std::size_t i = 0; i < 2; ++i) code[i] = static_cast<char>(code[i] ^ closing[2 + i]);
  CHECK(code == "\x03\xea"s);
  CHECK(f.rec->closed == 1);
}

TEST_CASE("ws_connection: close handshake") {
  SUBCASE("the peer closes: its code is echoed, the listener told, then the socket closed") {
    ws_fixture f;
    f.ws->start();
    f.write(masked(0x88,
                   "\x03\xe8"
                   "bye"s));
    bool eof = false;
    CHECK(f.read_to_eof(eof) == "\x88\x02\x03\xe8"s);
    CHECK(eof);
    CHECK(f.rec->closed == 1);
    CHECK_FALSE(f.ws->is_open());
    f.ws->send(false, "too late");  // ignored
    f.io.poll();
  }
  SUBCASE("the near end closes: what is queued goes first, the listener hears nothing more") {
    ws_fixture f;
    f.ws->start();
    f.ws->send(false, "x");
    f.ws->close(1001);
    f.ws->send(false, "dropped");
    bool eof = false;
    CHECK(f.read_to_eof(eof) == "\x81\x01x\x88\x02\x03\xe9"s);
    CHECK(eof);
    CHECK(f.rec->closed == 0);
  }
  SUBCASE("the peer drops the TCP connection") {
    ws_fixture f;
    f.ws->start();
    f.peer.close();
    REQUIRE(sio::test::run_until(f.io, [&] { return f.rec->closed == 1; }));
    CHECK_FALSE(f.ws->is_open());
  }
}

TEST_CASE("ws_connection: bytes read past the HTTP upgrade (leftover) are processed first") {
  ws_fixture f;
  const auto second = masked(0x81, "late");
  f.ws->start(masked(0x81, "early") + masked(0x89, "p") + second.substr(0, 3));
  REQUIRE(f.wait_messages(1));
  CHECK(f.rec->messages == strings{"early"});
  CHECK(f.read(3) == "\x8a\x01p"s);
  f.write(second.substr(3));
  REQUIRE(f.wait_messages(2));
  CHECK(f.rec->messages[1] == "late");
}

TEST_CASE("ws_connection: frames sent during one turn go out in one write") {
  ws_fixture f;
  f.ws->start();
  f.ws->send(false, "a");
  f.ws->send(false, "b");
  f.ws->send(true, "c");
  CHECK(f.available().empty());  // nothing is written from inside send()
  CHECK(f.ws->buffered_bytes() == 9);
  // One handler, the deferred flush: all three frames are on the wire after it, so they went in
  // one write (a second write would only start when the first one's completion ran).
  CHECK(f.io.poll_one() == 1);
  CHECK(f.available() ==
        "\x81\x01"
        "a\x81\x01"
        "b\x82\x01"
        "c"s);

  // Sent while that write is still completing: held for the next one.
  f.ws->send(false, "d");
  CHECK(f.available().empty());
  CHECK(f.read(3) ==
        "\x81\x01"
        "d"s);
  REQUIRE(sio::test::run_until(f.io, [&] { return f.ws->buffered_bytes() == 0; }));
}

TEST_CASE("ws_connection: RFC 6455 failures get their close codes") {
  struct row {
    const char* name;
    std::string frames;
    std::string close;
  };
  const std::vector<row> rows = {
      {"text that is not UTF-8: 1007", masked(0x81, "\xce\xba\xff"s), "\x88\x02\x03\xef"s},
      {"fragmented text going bad in its first fragment: 1007", masked(0x01, "ok\xed\xa0\x80"s), "\x88\x02\x03\xef"s},
      {"a close reason that is not UTF-8: 1007", masked(0x88, "\x03\xe8\xc0\xaf"s), "\x88\x02\x03\xef"s},
      {"a close code no peer may send: 1002", masked(0x88, "\x03\xed"s), "\x88\x02\x03\xea"s},
      {"a close payload of one byte: 1002", masked(0x88, "\x03"s), "\x88\x02\x03\xea"s},
      {"a reserved bit: 1002", "\xc1\x80\x00\x00\x00\x00"s, "\x88\x02\x03\xea"s},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    ws_fixture f;
    f.ws->start();
    f.write(r.frames);
    bool eof = false;
    CHECK(f.read_to_eof(eof) == r.close);
    CHECK(eof);
    CHECK(f.rec->closed == 1);
    CHECK(f.rec->messages.empty());
  }
}

TEST_CASE("ws_connection: after a large message the read buffer goes back to its idle size") {
  ws_fixture f;
  f.ws->start();
  f.write(masked(0x82, std::string(70000, 'b')));
  REQUIRE(f.wait_messages(1));
  // No further read was needed for the buffer to shrink: the connection is idle now.
  CHECK(f.ws->read_capacity() == 256);
}

namespace {

// Small kernel buffers, so that a peer that stops reading is felt after kilobytes, not megabytes.
void shrink_buffers(sio::test::loopback& l, sio::tcp::socket& near) {
  near.set_option(sio::net::socket_base::send_buffer_size(4096));
  l.peer.set_option(sio::net::socket_base::receive_buffer_size(4096));
}

}  // namespace

TEST_CASE("ws_connection: pings from a peer that reads no pongs cannot grow the output past its cap") {
  sio::test::loopback l;
  constexpr std::size_t cap = 8 * 1024;
  l.near.set_option(sio::net::socket_base::send_buffer_size(4096));  // felt after kilobytes, not megabytes
  auto ws = std::make_shared<ws_connection>(std::move(l.near), ws_role::server, 1u << 20, cap);
  auto rec = std::make_shared<recorder>();
  ws->set_listener(rec);
  ws->start();

  // 1 MB of pings, written without blocking while the connection runs; the peer reads nothing.
  const std::string ping = masked(0x89, std::string(125, 'p'));
  std::string flood;
  for (int i = 0; i < 8000; ++i) flood += ping;
  std::size_t sent = 0;
  std::size_t pong_bytes = 0;
  std::string chunk(65536, '\0');
  l.peer.non_blocking(true);
  // Both ends are driven here, so the wait polls rather than blocks in the io_context.
  auto pump = [&](bool read, auto done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < until) {
      sio::error_code ec;
      if (sent < flood.size())
        sent += l.peer.write_some(sio::net::buffer(flood.data() + sent, flood.size() - sent), ec);
      if (read) pong_bytes += l.peer.read_some(sio::net::buffer(chunk), ec);
      l.io.restart();
      l.io.poll();
    }
    return done();
  };
  std::size_t peak = 0;
  REQUIRE(pump(false, [&] {
    peak = std::max(peak, ws->buffered_bytes());
    return ws->reading_paused();
  }));
  // Bounded by the cap plus the pongs of one read (at most the 64 KiB read buffer of pings);
  // without the bound every ping read would queue its pong: 1 MB here.
  MESSAGE("queued when reading paused: " << ws->buffered_bytes() << " bytes (peak " << peak << ")");
  CHECK(peak <= cap + 64 * 1024);

  // The peer reads again: reading resumes and every ping is answered.
  constexpr std::size_t pong_size = 2 + 125;
  CHECK(pump(true, [&] { return pong_bytes == 8000 * pong_size; }));
  CHECK_FALSE(ws->reading_paused());
  CHECK(ws->is_open());
}

TEST_CASE("ws_connection: a close behind data the peer never reads is dropped after the close timeout") {
  sio::test::loopback l;
  shrink_buffers(l, l.near);
  const auto timeout = std::chrono::milliseconds(300);
  auto ws = std::make_shared<ws_connection>(std::move(l.near), ws_role::server, 1u << 20,
                                            ws_connection::default_max_output, timeout);
  ws->start();
  for (int i = 0; i < 64; ++i) ws->send(true, std::string(64 * 1024, 'd'));  // 4 MiB the peer will not read
  const auto closing_at = std::chrono::steady_clock::now();
  ws->close(1001);
  REQUIRE(sio::test::run_until(l.io, [&] { return l.peer.available() > 0; }));  // the write started
  CHECK(ws->buffered_bytes() > 1u << 20);                                       // held, waiting on the peer
  REQUIRE(sio::test::run_until(
      l.io, [&] { return !ws->socket().is_open() && ws.use_count() == 1; }, std::chrono::seconds(3)));
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - closing_at);
  MESSAGE("dropped " << took.count() << " ms after the close; bytes held after: " << ws->buffered_bytes());
  CHECK(took >= timeout);            // not before its time
  CHECK(ws->buffered_bytes() == 0);  // and no handler holds it: what is left goes with it
}

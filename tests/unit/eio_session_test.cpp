// One Engine.IO session on a fake clock: the heartbeat, the upgrade and its timeout, the user
// timer. The clock moves only when a test says so, and the session is woken at each deadline
// on the way, as its timer would wake it; WebSockets are real ones over loopback.
#include <doctest/doctest.h>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/server/eio_session.hpp"
#include "core/server/engine.hpp"
#include "core/transport/ws_connection.hpp"
#include "tests/support/loopback.hpp"

using namespace std::chrono_literals;
using namespace std::string_literals;
using sio::engineio::packet_type;
using sio::engineio::transport_kind;
using sio::server::eio_session;
using sio::server::session_deadlines;
using sio::test::masked;
using sio::transport::ws_connection;
using strings = std::vector<std::string>;
namespace net = sio::net;

namespace {

const auto t0 = session_deadlines::time_point{} + 1h;

struct handler_log final : sio::engineio::connection_handler {
  void on_open(sio::engineio::connection&) override {}
  void on_message(sio::engineio::connection&, std::string_view data, bool binary) override {
    messages.push_back((binary ? "bin:" : "") + std::string(data));
  }
  void on_close(sio::engineio::connection&, std::string_view reason) override { closes.emplace_back(reason); }
  strings messages;
  strings closes;
};

struct session_fixture : sio::test::loopback {
  explicit session_fixture(transport_kind kind = transport_kind::polling, sio::server::engine_options o = {})
      : eng(io.get_executor(), o, log, [this] { return now; }),
        session(std::make_shared<eio_session>(eng, io.get_executor(), "sid", kind, "127.0.0.1")) {}
  ~session_fixture() {
    // The session and its WebSocket keep each other alive until it is closed.
    session->close("test over");
    io.restart();
    io.poll();
  }

  // The near end of the loopback as the session's WebSocket (or its probe).
  std::shared_ptr<ws_connection> websocket() {
    return std::make_shared<ws_connection>(std::move(near), sio::transport::ws_role::server, 1u << 20);
  }

  // Moves the fake clock to t0 + `t`, waking the session at each deadline on the way. (Its real
  // timer may wake it early too, when the gap is short: with nothing due, that does nothing.)
  void advance_to(std::chrono::milliseconds t) {
    const auto until = t0 + t;
    while (session->is_open() && session->next_deadline() <= until) {
      now = std::max(now, session->next_deadline());
      session->on_deadline();
    }
    now = until;
    io.restart();
    io.poll();
  }

  // A long-polling GET: starts one unless one waits, runs what is ready, and returns the
  // body, or nullopt while the GET still waits.
  std::optional<std::string> poll() {
    if (!get_waiting_ && !got_) {
      get_waiting_ = true;
      net::co_spawn(io, session->poll(), [this](std::exception_ptr e, std::string body) {
        get_waiting_ = false;
        got_ = e ? "<exception>" : std::move(body);
      });
    }
    io.restart();
    io.poll();
    return std::exchange(got_, std::nullopt);
  }

  void pong() { session->on_packet({packet_type::pong, "", false}); }

  handler_log log;
  session_deadlines::time_point now = t0;
  sio::server::engine eng;
  std::shared_ptr<eio_session> session;

 private:
  bool get_waiting_ = false;
  std::optional<std::string> got_;
};

}  // namespace

TEST_CASE("eio_session: a ping every pingInterval, and pongs in time keep the session open") {
  session_fixture f;
  f.session->start(nullptr);
  CHECK(f.session->next_deadline() == t0 + 25s);
  CHECK_FALSE(f.poll());  // the GET waits
  f.advance_to(25s - 1ms);
  CHECK_FALSE(f.poll());
  f.advance_to(25s);
  CHECK(f.poll() == "2");

  f.advance_to(45s - 1ms);  // the last moment for the pong
  f.pong();
  CHECK(f.session->next_deadline() == t0 + 70s - 1ms);
  f.advance_to(70s - 2ms);
  CHECK_FALSE(f.poll());
  f.advance_to(70s - 1ms);
  CHECK(f.poll() == "2");
  f.advance_to(80s);
  f.pong();
  f.advance_to(104s);
  CHECK(f.session->is_open());
  CHECK(f.log.closes.empty());
}

TEST_CASE("eio_session: no pong closes the session with \"ping timeout\" at pingInterval + pingTimeout") {
  SUBCASE("the default 25 s + 20 s") {
    session_fixture f;
    f.session->start(nullptr);
    f.advance_to(25s);
    CHECK(f.poll() == "2");
    CHECK_FALSE(f.poll());  // a GET waits
    f.advance_to(45s - 1ms);
    CHECK(f.session->is_open());
    f.advance_to(45s);
    CHECK_FALSE(f.session->is_open());
    CHECK(f.log.closes == strings{"ping timeout"});
    CHECK(f.poll() == "6");  // the waiting GET ends; no close packet, the client is gone
    CHECK(f.session->next_deadline() == session_deadlines::never);
    f.pong();  // too late: nothing happens
    CHECK(f.log.closes.size() == 1);
  }
  SUBCASE("the options' own intervals; a pong nobody asked for does not count") {
    sio::server::engine_options o;
    o.ping_interval = 300ms;
    o.ping_timeout = 200ms;
    session_fixture f(transport_kind::polling, o);
    f.session->start(nullptr);
    f.advance_to(100ms);
    f.pong();
    CHECK(f.session->next_deadline() == t0 + 300ms);
    f.advance_to(499ms);
    CHECK(f.session->is_open());
    f.advance_to(500ms);
    CHECK(f.log.closes == strings{"ping timeout"});
  }
}

TEST_CASE("eio_session: over a WebSocket the ping and the pong are frames") {
  session_fixture f(transport_kind::websocket);
  auto ws = f.websocket();
  f.session->start(ws);
  ws->start();
  f.advance_to(25s);
  CHECK(f.read(3) ==
        "\x81\x01"
        "2"s);

  f.now = t0 + 30s;
  f.write(masked(0x81, "3") + masked(0x81, "4hello"));
  REQUIRE(sio::test::run_until(f.io, [&] { return f.session->next_deadline() == t0 + 55s; }));
  CHECK(f.log.messages == strings{"hello"});
  f.advance_to(55s);
  CHECK(f.read(3) ==
        "\x81\x01"
        "2"s);

  f.advance_to(75s);  // no second pong
  CHECK(f.log.closes == strings{"ping timeout"});
  bool eof = false;
  CHECK(f.read_to_eof(eof) == "\x88\x02\x03\xe8"s);
  CHECK(eof);
}

TEST_CASE("eio_session: an upgrade that does not finish within upgradeTimeout is aborted") {
  session_fixture f;
  f.session->start(nullptr);
  auto probe = f.websocket();
  f.session->begin_upgrade(probe);
  probe->start();
  CHECK(f.session->upgrade_in_progress());
  CHECK(f.session->next_deadline() == t0 + 10s);

  f.write(masked(0x81, "2probe"));
  CHECK(f.read(8) ==
        "\x81\x06"
        "3probe"s);
  CHECK(f.poll() == "6");  // while upgrading, a GET gets a noop

  f.advance_to(10s - 1ms);
  CHECK(f.session->upgrade_in_progress());
  f.advance_to(10s);
  CHECK_FALSE(f.session->upgrade_in_progress());
  bool eof = false;
  CHECK(f.read_to_eof(eof) == "\x88\x02\x03\xe8"s);
  CHECK(eof);

  // The session goes on polling, its heartbeat untouched.
  CHECK(f.session->is_open());
  CHECK(f.session->transport() == transport_kind::polling);
  CHECK(f.log.closes.empty());
  CHECK(f.session->next_deadline() == t0 + 25s);
  f.session->send(sio::engineio::text_frame("4after"));
  CHECK(f.poll() == "4after");
}

TEST_CASE("eio_session: a probe that says anything but 2probe, then 5, is aborted") {
  session_fixture f;
  f.session->start(nullptr);
  auto probe = f.websocket();
  f.session->begin_upgrade(probe);
  probe->start();
  f.write(masked(0x81, "5"));
  bool eof = false;
  CHECK(f.read_to_eof(eof) == "\x88\x02\x03\xe8"s);
  CHECK_FALSE(f.session->upgrade_in_progress());
  CHECK(f.session->next_deadline() == t0 + 25s);  // the upgrade's deadline is gone
  CHECK(f.session->is_open());
}

TEST_CASE("eio_session: a completed upgrade moves the queue to the WebSocket") {
  session_fixture f;
  f.session->start(nullptr);
  f.session->send(sio::engineio::text_frame("4one"));
  CHECK(f.poll() == "4one");
  CHECK_FALSE(f.poll());  // a GET waits

  auto probe = f.websocket();
  f.session->begin_upgrade(probe);
  probe->start();
  f.write(masked(0x81, "2probe"));
  CHECK(f.read(8) ==
        "\x81\x06"
        "3probe"s);
  CHECK(f.poll() == "6");  // the waiting GET is answered with a noop

  f.session->send(sio::engineio::text_frame("4two"));
  f.session->send(sio::engineio::binary_frame("\x01\x02"s));
  CHECK(f.poll() == "6");  // a GET during the upgrade gets a noop; the queue waits for the WebSocket

  f.write(masked(0x81, "5"));
  REQUIRE(sio::test::run_until(f.io, [&] { return f.session->transport() == transport_kind::websocket; }));
  CHECK(f.read(10) ==
        "\x81\x04"
        "4two\x82\x02\x01\x02"s);
  CHECK_FALSE(f.session->upgrade_in_progress());
  CHECK(f.session->transport_name() == "websocket");
  CHECK(f.session->next_deadline() == t0 + 25s);
  CHECK(f.poll() == "6");  // a late GET ends at once

  f.session->send(sio::engineio::text_frame("4three"));
  CHECK(f.read(8) ==
        "\x81\x06"
        "4three"s);
  f.advance_to(25s);  // past the old upgrade deadline: nothing aborted; the heartbeat goes on here
  CHECK(f.read(3) ==
        "\x81\x01"
        "2"s);
  f.write(masked(0x81, "3"));
  REQUIRE(sio::test::run_until(f.io, [&] { return f.session->next_deadline() == t0 + 50s; }));
  CHECK(f.session->is_open());
  CHECK(f.log.closes.empty());
}

TEST_CASE("eio_session: the user timer fires once at its deadline; re-arming replaces it") {
  sio::server::engine_options o;
  o.ping_interval = 1000s;  // out of the way
  session_fixture f(transport_kind::polling, o);
  f.session->start(nullptr);
  int a = 0;
  int b = 0;
  f.session->set_timer(5s, [&] { ++a; });
  CHECK(f.session->next_deadline() == t0 + 5s);
  f.advance_to(3s);
  f.session->set_timer(5s, [&] { ++b; });
  CHECK(f.session->next_deadline() == t0 + 8s);
  f.advance_to(8s - 1ms);
  CHECK(a == 0);
  CHECK(b == 0);
  f.advance_to(8s);
  CHECK(a == 0);
  CHECK(b == 1);
  f.advance_to(100s);
  CHECK(b == 1);  // single-shot
  CHECK(f.session->next_deadline() == t0 + 1000s);

  SUBCASE("cancelled") {
    f.session->set_timer(1s, [&] { ++a; });
    f.session->cancel_timer();
    CHECK(f.session->next_deadline() == t0 + 1000s);
    f.advance_to(200s);
    CHECK(a == 0);
  }
  SUBCASE("re-armed from its own callback") {
    int chain = 0;
    std::function<void()> again = [&] {
      if (++chain < 3) f.session->set_timer(1s, again);
    };
    f.session->set_timer(1s, again);
    f.advance_to(102s);
    CHECK(chain == 2);
    f.advance_to(110s);
    CHECK(chain == 3);
  }
  SUBCASE("closing the session from it; a closed session's timer never fires") {
    f.session->set_timer(1s, [&] { f.session->close("timer says so"); });
    f.advance_to(101s);
    CHECK(f.log.closes == strings{"timer says so"});
    f.session->set_timer(1s, [&] { ++a; });
    f.advance_to(200s);
    CHECK(a == 0);
  }
}

TEST_CASE("eio_session: a wakeup already on its way when the user timer was cancelled or re-armed does nothing") {
  session_fixture f;
  f.session->start(nullptr);
  int a = 0;
  int b = 0;
  f.session->set_timer(5s, [&] { ++a; });
  f.now = t0 + 5s;  // the deadline passes, the wakeup is queued...
  f.session->set_timer(5s, [&] { ++b; });
  f.session->on_deadline();  // ...and arrives after the re-arm
  CHECK(a == 0);
  CHECK(b == 0);
  f.now = t0 + 10s;
  f.session->cancel_timer();
  f.session->on_deadline();
  CHECK(b == 0);
}

TEST_CASE("eio_session: on the real clock, a user timer cancelled in the turn its deadline passed does not fire") {
  // The bug this guards against: an Asio wait that has completed cannot be cancelled, so a
  // callback bound to it ran after cancel_timer(). The session now compares deadlines with now.
  for (int i = 0; i < 5; ++i) {
    net::io_context io;
    handler_log log;
    sio::server::engine eng(io.get_executor(), {}, log);
    auto s = std::make_shared<eio_session>(eng, io.get_executor(), "sid", transport_kind::polling, "127.0.0.1");
    s->start(nullptr);
    bool cancelled = false;
    int fired_after_cancel = 0;
    net::steady_timer first(io);  // expires just before the session's: its handler runs once both passed
    first.expires_after(0ms);
    first.async_wait([&](sio::error_code) {
      s->cancel_timer();
      cancelled = true;
    });
    s->set_timer(0ms, [&] { fired_after_cancel += cancelled; });
    REQUIRE(sio::test::run_until(io, [&] { return cancelled; }));
    io.restart();
    io.poll();  // the session's wakeup was queued with the cancelling handler
    CHECK(fired_after_cancel == 0);
    s->close("test over");
  }
}

TEST_CASE("eio_session: on the real clock, the timer drives the heartbeat") {
  net::io_context io;
  handler_log log;
  sio::server::engine_options o;
  o.ping_interval = 20ms;
  o.ping_timeout = 20ms;
  sio::server::engine eng(io.get_executor(), o, log);
  auto s = std::make_shared<eio_session>(eng, io.get_executor(), "sid", transport_kind::polling, "127.0.0.1");
  const auto started = std::chrono::steady_clock::now();
  s->start(nullptr);
  int fired = 0;
  s->set_timer(5ms, [&] { ++fired; });
  REQUIRE(sio::test::run_until(io, [&] { return !log.closes.empty(); }));
  CHECK(std::chrono::steady_clock::now() - started >= 40ms);
  CHECK(log.closes == strings{"ping timeout"});
  CHECK(fired == 1);
}

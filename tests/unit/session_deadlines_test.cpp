// An Engine.IO session's deadlines as plain state, with explicit time points: when to ping,
// when the pong is late, the upgrade's and the user timer's deadlines.
#include <doctest/doctest.h>

#include <chrono>

#include "core/server/session_deadlines.hpp"

using namespace std::chrono_literals;
using sio::server::session_deadlines;

namespace {
const auto t0 = session_deadlines::time_point{} + 1h;
constexpr auto interval = 25000ms;
constexpr auto timeout = 20000ms;

bool nothing(const session_deadlines::due& d) { return !d.ping && !d.ping_timeout && !d.upgrade_timeout && !d.user; }
}  // namespace

TEST_CASE("session deadlines: nothing is due before anything is set") {
  session_deadlines d;
  CHECK(d.next() == session_deadlines::never);
  CHECK(nothing(d.take_due(t0 + 1000h, timeout)));
}

TEST_CASE("session deadlines: a ping every interval, and a pong in time postpones the next") {
  session_deadlines d;
  d.start_heartbeat(t0, interval);
  CHECK(d.next() == t0 + 25s);
  CHECK(nothing(d.take_due(t0 + 25s - 1ms, timeout)));
  CHECK_FALSE(d.awaiting_pong());

  auto due = d.take_due(t0 + 25s, timeout);
  CHECK(due.ping);
  CHECK_FALSE(due.ping_timeout);
  CHECK(d.awaiting_pong());
  CHECK(d.next() == t0 + 45s);  // the pong's deadline
  CHECK(nothing(d.take_due(t0 + 45s - 1ms, timeout)));

  CHECK(d.on_pong(t0 + 45s - 1ms, interval));
  CHECK_FALSE(d.awaiting_pong());
  CHECK(d.next() == t0 + 70s - 1ms);  // from the pong, as the reference schedules it
  CHECK(nothing(d.take_due(t0 + 45s, timeout)));
  CHECK(d.take_due(t0 + 70s - 1ms, timeout).ping);
}

TEST_CASE("session deadlines: no pong by pingInterval + pingTimeout is a ping timeout") {
  session_deadlines d;
  d.start_heartbeat(t0, interval);
  CHECK(d.take_due(t0 + 25s, timeout).ping);
  const auto due = d.take_due(t0 + 45s, timeout);
  CHECK(due.ping_timeout);
  CHECK_FALSE(due.ping);
  CHECK(d.next() == session_deadlines::never);
}

TEST_CASE("session deadlines: a pong nobody asked for changes nothing") {
  session_deadlines d;
  d.start_heartbeat(t0, interval);
  CHECK_FALSE(d.on_pong(t0 + 10s, interval));
  CHECK(d.next() == t0 + 25s);
}

TEST_CASE("session deadlines: a late wakeup pings once, and the pong's deadline runs from then") {
  session_deadlines d;
  d.start_heartbeat(t0, interval);
  // Past both the ping's and what would have been the pong's deadline: the ping goes now.
  const auto due = d.take_due(t0 + 50s, timeout);
  CHECK(due.ping);
  CHECK_FALSE(due.ping_timeout);
  CHECK(d.next() == t0 + 70s);
}

TEST_CASE("session deadlines: the upgrade and user deadlines, the earliest first") {
  session_deadlines d;
  d.start_heartbeat(t0, interval);
  d.set_upgrade(t0 + 10s);
  d.set_user(t0 + 5s);
  CHECK(d.next() == t0 + 5s);

  auto due = d.take_due(t0 + 5s, timeout);
  CHECK(due.user);
  CHECK_FALSE(due.upgrade_timeout);
  CHECK(d.next() == t0 + 10s);

  d.set_user(t0 + 30s);  // re-arming replaces
  d.set_user(t0 + 12s);
  due = d.take_due(t0 + 12s, timeout);  // both at once
  CHECK(due.upgrade_timeout);
  CHECK(due.user);
  CHECK_FALSE(due.ping);
  CHECK(d.next() == t0 + 25s);

  d.set_upgrade(t0 + 20s);
  d.clear_upgrade();
  d.set_user(t0 + 21s);
  d.clear_user();
  CHECK(d.next() == t0 + 25s);
  CHECK(nothing(d.take_due(t0 + 24s, timeout)));

  d.clear();
  CHECK(d.next() == session_deadlines::never);
}

TEST_CASE("session deadlines: a timeout too large for the clock never expires") {
  CHECK(session_deadlines::later(t0, std::chrono::milliseconds::max()) == session_deadlines::never);
  CHECK(session_deadlines::later(t0, 1ms) == t0 + 1ms);
  session_deadlines d;
  d.start_heartbeat(t0, std::chrono::milliseconds::max());
  CHECK(d.next() == session_deadlines::never);
}

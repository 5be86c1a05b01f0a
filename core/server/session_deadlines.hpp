#pragma once
// When an Engine.IO session must act, as plain state: the heartbeat (the next ping, then the
// pong that would be late), the upgrade's deadline and the user timer's. The session keeps one
// Asio timer armed at next() and asks take_due(now) what to do when it fires; tests drive the
// same object, and the session, with explicit time points. Deadlines are compared with `now`
// rather than trusted to cancellation, so a wakeup that was already queued when a deadline
// moved does nothing.
#include <algorithm>
#include <chrono>

namespace sio::server {

class session_deadlines {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::milliseconds;
  static constexpr time_point never = time_point::max();

  // `now + d`, saturating at never: a timeout too large for the clock never expires.
  static time_point later(time_point now, duration d) {
    if (d >= std::chrono::duration_cast<duration>(never - now)) return never;
    return now + d;
  }

  // The server pings; the first ping goes `interval` after the start.
  void start_heartbeat(time_point now, duration interval) {
    awaiting_pong_ = false;
    heartbeat_ = later(now, interval);
  }
  // The pong for the ping in flight: the next ping goes `interval` later. A pong nobody asked
  // for changes nothing (false).
  bool on_pong(time_point now, duration interval) {
    if (!awaiting_pong_) return false;
    start_heartbeat(now, interval);
    return true;
  }
  bool awaiting_pong() const { return awaiting_pong_; }
  time_point heartbeat() const { return heartbeat_; }

  void set_upgrade(time_point at) { upgrade_ = at; }
  void clear_upgrade() { upgrade_ = never; }
  time_point upgrade() const { return upgrade_; }

  void set_user(time_point at) { user_ = at; }
  void clear_user() { user_ = never; }
  time_point user() const { return user_; }

  // Everything stops (the session is closed).
  void clear() { *this = {}; }

  time_point next() const { return std::min({heartbeat_, upgrade_, user_}); }

  struct due {
    bool ping = false;          // send a ping now; its pong is due `ping_timeout` later
    bool ping_timeout = false;  // the pong is late: close
    bool upgrade_timeout = false;
    bool user = false;
  };
  // What is due at `now`. Each deadline reported is consumed; a ping's is replaced by its pong's.
  due take_due(time_point now, duration ping_timeout);

 private:
  time_point heartbeat_ = never;  // the next ping, or while awaiting_pong_, the pong's deadline
  time_point upgrade_ = never;
  time_point user_ = never;
  bool awaiting_pong_ = false;
};

inline session_deadlines::due session_deadlines::take_due(time_point now, duration ping_timeout) {
  due d;
  if (heartbeat_ <= now) {
    if (awaiting_pong_) {
      d.ping_timeout = true;
      heartbeat_ = never;
    } else {
      // Measured from when the ping actually goes, even if this wakeup came late.
      d.ping = true;
      awaiting_pong_ = true;
      heartbeat_ = later(now, ping_timeout);
    }
  }
  if (upgrade_ <= now) {
    d.upgrade_timeout = true;
    upgrade_ = never;
  }
  if (user_ <= now) {
    d.user = true;
    user_ = never;
  }
  return d;
}

}  // namespace sio::server

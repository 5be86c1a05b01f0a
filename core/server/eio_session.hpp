#pragma once
// One Engine.IO v4 session: heartbeat, the outgoing queue for long-polling, the WebSocket
// when there is one, and the upgrade from polling to WebSocket (as the Engine.IO v4 protocol describes them).
#include <functional>
#include <memory>
#include <string>

#include "core/engineio/packet.hpp"
#include "core/engineio/request.hpp"
#include "core/server/engine_options.hpp"
#include "core/server/imports.hpp"
#include "core/server/session_deadlines.hpp"
#include "core/transport/net.hpp"
#include "core/transport/ws_connection.hpp"

namespace sio::server {

class engine;

class eio_session final : public connection,
                          public transport::ws_listener,
                          public std::enable_shared_from_this<eio_session> {
 public:
  eio_session(engine& owner, net::any_io_executor ex, std::string sid, engineio::transport_kind transport,
              std::string remote);

  // connection
  const std::string& sid() const override { return sid_; }
  std::string_view transport_name() const override { return engineio::transport_name(transport_); }
  std::string_view remote_address() const override { return remote_; }
  void send(const frame& f) override;
  void close(std::string_view reason) override;
  void set_timer(std::chrono::milliseconds after, std::function<void()> fn) override;
  void cancel_timer() override;

  engineio::transport_kind transport() const { return transport_; }
  bool is_open() const { return open_; }

  // Acts on what is due at the engine's now (a ping, a late pong, the upgrade's or the user
  // timer's deadline). The session's timer calls it at next_deadline(); a test with a fake
  // clock calls it after moving the clock.
  void on_deadline();
  session_deadlines::time_point next_deadline() const { return deadlines_.next(); }

  // Starts the heartbeat; for a WebSocket session, `ws` is its transport.
  void start(std::shared_ptr<transport::ws_connection> ws);

  // Long-polling. A GET waits here until there is something to send; the result is the body.
  bool poll_pending() const { return poll_pending_; }
  awaitable<std::string> poll();
  // A POST is in flight from its headers until it has been handled.
  bool post_pending() const { return post_pending_; }
  void begin_post() { post_pending_ = true; }
  void end_post() { post_pending_ = false; }
  // A POST's packets, already decoded.
  void on_packet(const engineio::packet_view& p);
  // A second GET while one is pending: the reference closes the session.
  void fail_polling(std::string_view reason);

  // Upgrade: a WebSocket with this sid that must now prove itself with the probe.
  bool upgrade_in_progress() const { return probe_ != nullptr; }
  void begin_upgrade(std::shared_ptr<transport::ws_connection> ws);

  // transport::ws_listener
  void on_ws_message(transport::ws_connection& ws, std::string_view data, bool binary) override;
  void on_ws_closed(transport::ws_connection& ws) override;

 private:
  // Arms the timer at the earliest deadline, unless it already waits for it.
  void rearm();
  void on_pong();
  void wake_poller();
  void finish_upgrade();
  void abort_upgrade();
  // `notify_peer`: send a close packet first (a server-side close); a client-side close does not.
  void shutdown(std::string_view reason, bool notify_peer);

  engine& engine_;
  std::string sid_;
  engineio::transport_kind transport_;
  std::string remote_;
  bool open_ = true;
  bool poll_pending_ = false;
  bool post_pending_ = false;
  bool upgrading_ = false;  // the probe succeeded; polling now gets noop until the upgrade

  frame_queue queue_;  // polling only
  std::size_t queued_bytes_ = 0;
  std::shared_ptr<transport::ws_connection> ws_;
  std::shared_ptr<transport::ws_connection> probe_;

  // One timer for every deadline: an idle session holds one pending wait, as before.
  session_deadlines deadlines_;
  session_deadlines::time_point armed_ = session_deadlines::never;  // what timer_ waits for
  std::function<void()> user_fn_;
  net::steady_timer timer_;
  net::steady_timer poll_timer_;  // not a clock: wakes a waiting GET when there is something to send
};

}  // namespace sio::server

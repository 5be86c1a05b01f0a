#pragma once
// One simulated Socket.IO client: joins the namespace over its link, then plays its part in
// the scenario (echo with acks, broadcast sender or receiver, connect-and-leave, idle).
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>

#include "core/bench/link.hpp"
#include "core/common/backoff.hpp"

namespace sio::bench {

class worker;

class bench_client final : private link_events {
 public:
  enum class state { idle, connecting, connected, closed };

  bench_client(worker& w, const link_target& target, std::size_t index, bool sender, const net::ip::address* source);
  ~bench_client();

  // Connects (again, after a drop: a fresh Socket.IO connection with its own ack ids).
  void start();
  void begin_load();
  void stop_load() { loading_ = false; }
  void close();

  state current() const { return state_; }
  std::int64_t connect_started() const { return connect_started_; }
  std::size_t in_flight() const { return intended_.size(); }
  // The connect timed out: give up on it.
  void fail_connect(std::string_view why);
  // Gives up on the emits sent before `cutoff` that are still unacknowledged: each is an error.
  void expire_acks(std::int64_t cutoff);

 private:
  void on_link_open() override;
  void on_link_message(std::string_view data, bool binary) override;
  void on_link_closed(std::string_view reason) override;

  void on_connected();
  void on_ack(std::optional<std::uint64_t> id);
  void on_event(std::string_view rest);
  void send_one(std::int64_t intended);
  void schedule_next();
  void send_due();
  // A lost connection (or a failed attempt to get it back) tries again after socket.io-client's backoff.
  void reconnect_later();

  worker& worker_;
  const link_target& target_;  // the server this client connects to
  std::size_t index_;
  bool sender_;
  const net::ip::address* source_;
  std::unique_ptr<link> link_;
  state state_ = state::idle;
  bool loading_ = false;
  std::int64_t connect_started_ = 0;
  std::uint64_t next_ack_id_ = 0;
  std::uint64_t first_unacked_ = 0;
  std::deque<std::int64_t> intended_;         // send times of unacknowledged emits, by ack id
  std::unique_ptr<net::steady_timer> timer_;  // open loop only
  std::int64_t next_due_ = 0;
  std::int64_t interval_ns_ = 0;
  bool reconnecting_ = false;  // this connect replaces a dropped connection
  backoff backoff_;
  std::unique_ptr<net::steady_timer> retry_timer_;
};

}  // namespace sio::bench

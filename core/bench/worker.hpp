#pragma once
// One event loop with its share of the clients. Nothing is shared with other workers: the
// runner talks to a worker only by posting to its context.
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/bench/client.hpp"
#include "core/bench/link.hpp"
#include "core/bench/options.hpp"
#include "core/bench/stats.hpp"

namespace sio::bench {

class worker {
 public:
  // `endpoints`: one per target of `o` (the main URL, then each --also URL), resolved by the runner.
  worker(const options& o, unsigned clients, unsigned first_index, const std::vector<tcp::endpoint>& endpoints);
  ~worker();

  net::io_context& context() { return ctx_; }
  void run();  // on the worker's own thread, until shutdown()

  // The runner posts these.
  void connect_all();  // staggered over the ramp-up
  void begin_load();
  void begin_measure();
  void end_measure();
  void shutdown();
  stats take_stats() const;
  interval take_interval();

  // For the clients.
  static std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  const options& opts() const { return opts_; }
  bool measuring() const { return measuring_; }
  bool load_running() const { return load_running_; }
  bool stopped() const { return stopped_; }
  double random() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  bool measuring_since(std::int64_t sent_at) const { return measuring_ && sent_at >= measure_start_; }
  std::string& scratch() { return scratch_; }
  std::string& peek_scratch() { return peek_scratch_; }
  const socketio::parser& parser() const { return *opts_.parser; }
  const std::string& padding() const { return padding_; }
  const std::string& quoted_event() const { return quoted_event_; }

  void record_connect(std::int64_t latency_ns, bool reconnect);
  void record_connect_failure(std::string_view why);
  void record_drop();
  void record_reconnect_attempt();  // a dropped client tries again
  void record_reconnect_failure() { --connecting_; }
  void record_ack_timeout();
  void record_close() { --connected_now_; }
  void record_sent() {
    if (measuring_) ++measured_.total.sent, ++interval_.delta.sent;
  }
  void record_received(std::int64_t latency_ns);
  void client_done(std::size_t index);  // connect scenario: connected and left

 private:
  void start_client(std::size_t i);
  void tick();
  void schedule_tick();
  void expire_acks();  // every ack_timeout/4 (at most 100 ms) while the load runs

  const options& opts_;
  net::io_context ctx_{1};
  net::executor_work_guard<net::io_context::executor_type> guard_;
  std::vector<link_target> targets_;  // never resized once built: links keep references
  unsigned first_index_;
  std::vector<std::unique_ptr<bench_client>> clients_;
  net::steady_timer tick_timer_;
  bool ticking_ = false;
  net::steady_timer ack_timer_;
  std::minstd_rand rng_;
  std::size_t next_to_start_ = 0;
  std::int64_t ramp_start_ = 0;
  std::int64_t ramp_ns_ = 0;
  bool measuring_ = false;
  bool load_running_ = false;
  bool stopped_ = false;
  std::int64_t measure_start_ = 0;
  stats measured_;
  interval interval_;
  std::uint64_t connected_now_ = 0;
  std::uint64_t connecting_ = 0;
  std::int64_t last_timeout_scan_ = 0;
  std::string scratch_;
  std::string padding_;
  std::string quoted_event_;
  std::string peek_scratch_;
};

}  // namespace sio::bench

#include "core/bench/runner.hpp"

#include <sys/resource.h>

#include <cmath>
#include <future>
#include <stdexcept>
#include <thread>

#include "core/bench/worker.hpp"

namespace sio::bench {

namespace {

using clock = std::chrono::steady_clock;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// Runs `f` on the worker's thread and waits for its result.
template <class F>
auto on_worker(worker& w, F f) -> decltype(f()) {
  std::promise<decltype(f())> done;
  auto result = done.get_future();
  net::post(w.context(), [&] {
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      done.set_value();
    } else {
      done.set_value(f());
    }
  });
  return result.get();
}

// Every target's address, resolved once before any client starts (the lean link connects to it).
std::vector<tcp::endpoint> resolve(const options& o) {
  net::io_context ctx;
  tcp::resolver resolver(ctx);
  std::vector<tcp::endpoint> out;
  for (std::size_t i = 0; i < o.target_count(); ++i) {
    const auto& url = o.target(i).url;
    error_code ec;
    auto results = resolver.resolve(url.host, std::to_string(url.port), ec);
    if (ec || results.empty())
      throw std::runtime_error("cannot resolve " + url.host + ": " + (ec ? ec.message() : "no address"));
    out.push_back(*results.begin());
  }
  return out;
}

class run_state {
 public:
  run_state(const options& o, const std::function<void(const sample&)>& on_sample, const std::atomic<bool>& stop)
      : opts_(o), on_sample_(on_sample), stop_(stop), start_(clock::now()), last_sample_(start_) {}

  std::vector<std::unique_ptr<worker>> workers;
  std::vector<sample> timeline;

  template <class F>
  void each(F f) {
    for (auto& w : workers) on_worker(*w, [&] { f(*w); });
  }

  // Waits until `until` or `done()`, sampling every second; false when interrupted.
  template <class Done>
  bool wait(clock::time_point until, const std::string& phase, Done done) {
    while (clock::now() < until && !done()) {
      if (stop_.load()) return false;
      const auto next =
          std::min({until, last_sample_ + std::chrono::seconds(1), clock::now() + std::chrono::milliseconds(50)});
      std::this_thread::sleep_until(next);
      if (clock::now() - last_sample_ >= std::chrono::seconds(1)) take_sample(phase);
    }
    return !stop_.load();
  }

  void take_sample(const std::string& phase) {
    interval all;
    for (auto& w : workers) all.merge(on_worker(*w, [&] { return w->take_interval(); }));
    const auto now = clock::now();
    sample s;
    s.t_s = std::chrono::duration<double>(now - start_).count();
    s.interval_s = std::chrono::duration<double>(now - last_sample_).count();
    last_sample_ = now;
    s.phase = phase;
    s.delta = all.delta;
    s.connected = all.connected_now;
    s.p50_ns = all.latency.value_at(0.5);
    s.p90_ns = all.latency.value_at(0.9);
    s.p99_ns = all.latency.value_at(0.99);
    s.max_ns = all.latency.max();
    timeline.push_back(s);
    if (on_sample_) on_sample_(s);
  }

  std::uint64_t settled() {  // clients that connected or failed
    std::uint64_t n = 0;
    for (auto& w : workers) {
      const auto s = on_worker(*w, [&] { return w->take_stats(); });
      n += s.total.connects + s.total.connect_failures;
    }
    return n;
  }

  std::uint64_t connects() {
    std::uint64_t n = 0;
    for (auto& w : workers) n += on_worker(*w, [&] { return w->take_stats(); }).total.connects;
    return n;
  }

 private:
  const options& opts_;
  const std::function<void(const sample&)>& on_sample_;
  const std::atomic<bool>& stop_;
  clock::time_point start_;
  clock::time_point last_sample_;
};

}  // namespace

outcome run(const options& o, const std::function<void(const sample&)>& on_sample, const std::atomic<bool>& stop) {
  const std::vector<tcp::endpoint> endpoints = resolve(o);
  const unsigned threads = std::max(1u, o.threads);
  const unsigned total =
      o.kind == scenario::connect ? static_cast<unsigned>(std::ceil(o.connect_rate * o.duration_s)) : o.clients;
  run_state state(o, on_sample, stop);
  for (unsigned t = 0, first = 0; t < threads; ++t) {
    const unsigned share = total / threads + (t < total % threads ? 1 : 0);
    state.workers.push_back(std::make_unique<worker>(o, share, first, endpoints));
    first += share;
  }
  std::vector<std::thread> pool;
  for (auto& w : state.workers) pool.emplace_back([&w] { w->run(); });

  outcome out;
  out.clients = total;
  bool ok = true;
  // The connect storm is the measured window: it starts before the first connect.
  if (o.kind == scenario::connect) state.each([](worker& w) { w.begin_measure(); });
  const double storm_cpu0 = cpu_seconds();
  state.each([](worker& w) { w.connect_all(); });
  const auto started = clock::now();
  if (o.kind == scenario::connect) {
    const double cpu0 = storm_cpu0;
    ok = state.wait(started + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o.duration_s)),
                    "measure", [] { return false; });
    // Let the last connects finish (or time out).
    if (ok) ok = state.wait(clock::now() + o.connect_timeout, "measure", [&] { return state.settled() >= total; });
    out.duration_s = std::chrono::duration<double>(clock::now() - started).count();
    out.generator_cpu_s = cpu_seconds() - cpu0;
  } else {
    const auto ramp = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o.ramp_up_s));
    ok = state.wait(started + ramp + o.connect_timeout + std::chrono::seconds(1), "connect",
                    [&] { return state.settled() >= total; });
    const bool anyone = state.connects() > 0;  // nobody got in: nothing to load or measure
    if (ok && anyone) {
      state.each([](worker& w) { w.begin_load(); });
      const auto warm = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o.warmup_s));
      ok = state.wait(clock::now() + warm, "warmup", [] { return false; });
    }
    if (ok && anyone) {
      state.each([](worker& w) { w.begin_measure(); });
      const auto t0 = clock::now();
      const double cpu0 = cpu_seconds();
      const auto length = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o.duration_s));
      ok = state.wait(t0 + length, "measure", [] { return false; });
      state.each([](worker& w) { w.end_measure(); });
      out.duration_s = std::chrono::duration<double>(clock::now() - t0).count();
      out.generator_cpu_s = cpu_seconds() - cpu0;
    }
  }
  out.interrupted = !ok;
  for (auto& w : state.workers) out.merged.merge(on_worker(*w, [&] { return w->take_stats(); }));
  for (auto& w : state.workers) net::post(w->context(), [&w] { w->shutdown(); });
  for (auto& t : pool) t.join();
  out.timeline = std::move(state.timeline);
  return out;
}

}  // namespace sio::bench

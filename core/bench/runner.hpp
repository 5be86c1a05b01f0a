#pragma once
// Runs a scenario: starts one worker per thread, connects (over the ramp-up), warms up,
// measures, and collects the merged figures and a per-second timeline.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "core/bench/options.hpp"
#include "core/bench/stats.hpp"

namespace sio::bench {

struct sample {
  double t_s = 0;     // since the start of the run
  std::string phase;  // "connect", "warmup", "measure"
  counts delta;       // during this interval
  double interval_s = 0;
  std::uint64_t connected = 0;
  std::uint64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, max_ns = 0;
};

struct outcome {
  stats merged;
  unsigned clients = 0;        // asked for (connect scenario: connections attempted)
  double duration_s = 0;       // the measured window as it really was
  double generator_cpu_s = 0;  // this process's CPU time during the window
  bool interrupted = false;
  std::vector<sample> timeline;
};

// Throws std::runtime_error when the target cannot be resolved.
outcome run(const options& o, const std::function<void(const sample&)>& on_sample, const std::atomic<bool>& stop);

}  // namespace sio::bench

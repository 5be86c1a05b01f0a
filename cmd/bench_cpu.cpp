#include "cmd/bench_cpu.hpp"

#include <fmt/format.h>
#include <sched.h>

#include <algorithm>

namespace sio::cmd {

unsigned generator_cores(unsigned threads) {
  cpu_set_t set;
  CPU_ZERO(&set);
  const int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
  threads = std::max(1u, threads);
  return cpus > 0 ? std::min(threads, static_cast<unsigned>(cpus)) : threads;
}

double generator_cpu_percent(double cpu_s, double wall_s, unsigned cores) {
  if (wall_s <= 0 || cores == 0 || cpu_s < 0) return 0;
  return 100 * cpu_s / (wall_s * cores);
}

std::optional<std::string> generator_bound_warning(double percent, unsigned cores) {
  if (percent < generator_bound_percent) return std::nullopt;
  return fmt::format(
      "sio bench: the generator was CPU-bound ({:.0f} % of {} core{}): the results measure the load generator, not "
      "the server; use more --threads or another machine",
      std::min(percent, 100.0), cores, cores == 1 ? "" : "s");
}

}  // namespace sio::cmd

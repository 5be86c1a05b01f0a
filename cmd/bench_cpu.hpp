#pragma once
// Was the load generator the bottleneck? `sio bench` compares the CPU time it used over the
// measured window with what its threads could have used (wall time x cores): near 100 %, the
// figures describe the generator, not the server.
#include <optional>
#include <string>

namespace sio::cmd {

// The cores `threads` event loops can use: at most the CPUs this process may run on.
unsigned generator_cores(unsigned threads);

// cpu_s over wall_s x cores, in percent (0 when there was no window).
double generator_cpu_percent(double cpu_s, double wall_s, unsigned cores);

// From this share on, the run measured the generator.
inline constexpr double generator_bound_percent = 90;

// The warning for stderr when `percent` >= generator_bound_percent, without a newline.
std::optional<std::string> generator_bound_warning(double percent, unsigned cores);

}  // namespace sio::cmd

#pragma once
// Numbers of `sio bench` for people: the progress line, the text summary and the HTML report
// all format through here, so a figure reads the same everywhere.
#include <cstdint>
#include <string>
#include <vector>

namespace sio::cmd {

// At most three significant digits with an SI prefix from 1000 up: 500000 -> "500k",
// 1250000 -> "1.25M", 12.34 -> "12.3", 0.25 -> "0.25", 0 -> "0".
std::string si(double v);

// Digits grouped by thousands: 1234567 -> "1,234,567".
std::string grouped(std::uint64_t n);

// Fixed decimals, the integer part grouped: (12345.678, 2) -> "12,345.68".
std::string fixed(double v, int decimals);

// Axis ticks from 0 to at least `max`: 0, s, 2s, ... with s 1, 2 or 5 times a power of ten,
// about `target` steps. Every tick is distinct and the last one is >= max (max <= 0: [0, 1]).
std::vector<double> axis_ticks(double max, int target);

// The decimals that show every multiple of a tick step exactly (0.25 -> 2, 5 -> 0).
int step_decimals(double step);

}  // namespace sio::cmd

#include "cmd/bench_format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace sio::cmd {

namespace {

// `v` (>= 0, < 1000) with three significant digits and no trailing zeros.
std::string three_digits(double v) {
  const int decimals = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

}  // namespace

std::string si(double v) {
  if (!std::isfinite(v)) return "-";
  if (v < 0) return fmt::format("-{}", si(-v));  // not "-" + string: GCC 12 -Wrestrict false positive at -O2
  if (v < 0.001) return "0";
  static constexpr const char* prefixes[] = {"", "k", "M", "G", "T"};
  std::size_t p = 0;
  // Rounding decides the prefix: 999999 is "1M", not "1000k".
  while (p + 1 < std::size(prefixes) && std::stod(three_digits(v)) >= 1000) {
    v /= 1000;
    ++p;
  }
  return three_digits(v) + prefixes[p];
}

std::string grouped(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  const std::string s = fmt::format("{:.{}f}", std::fabs(v), decimals);
  const auto dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  const bool negative = v < 0 && s.find_first_not_of("0.") != std::string::npos;
  return fmt::format("{}{}{}", negative ? "-" : "", grouped(std::stoull(whole)),
                     dot == std::string::npos ? std::string_view() : std::string_view(s).substr(dot));
}

std::vector<double> axis_ticks(double max, int target) {
  if (!(max > 0) || !std::isfinite(max)) return {0, 1};
  const double raw = max / std::max(1, target);
  const double power = std::pow(10, std::floor(std::log10(raw)));
  double step = 10 * power;
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= raw * (1 - 1e-9)) {
      step = m * power;
      break;
    }
  const auto steps = static_cast<int>(std::ceil(max / step - 1e-9));
  std::vector<double> ticks;
  // i * step, not a running sum: no accumulated float noise (0.1 + 0.2).
  for (int i = 0; i <= std::max(1, steps); ++i) ticks.push_back(i * step);
  return ticks;
}

int step_decimals(double step) {
  int decimals = 0;
  while (decimals < 9 && std::fabs(step * std::pow(10, decimals) - std::round(step * std::pow(10, decimals))) > 1e-6)
    ++decimals;
  return decimals;
}

}  // namespace sio::cmd

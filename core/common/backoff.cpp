#include "core/common/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace sio {

std::chrono::milliseconds backoff::next(double random) {
  const double base = static_cast<double>(o_.min.count()) * std::pow(o_.factor, attempts_);
  ++attempts_;
  double ms = base;
  if (o_.jitter > 0) {
    const double deviation = std::floor(random * o_.jitter * base);
    // As the reference: the tenth digit of the same random number picks the direction.
    ms = (static_cast<long long>(std::floor(random * 10)) & 1) == 0 ? base - deviation : base + deviation;
  }
  // After ~1000 attempts factor^attempts overflows to infinity, and infinity minus the
  // deviation is NaN: from there on the delay is max.
  if (!std::isfinite(ms)) return o_.max;
  ms = std::min(ms, static_cast<double>(o_.max.count()));
  ms = std::max(ms, 0.0);
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

}  // namespace sio

#pragma once
// Reconnection delays as socket.io-client computes them: min * factor^attempt, spread by
// +/- jitter, capped at max. Pure: the random number comes from the caller.
#include <chrono>
#include <cstdint>

namespace sio {

struct backoff_options {
  std::chrono::milliseconds min{1000};
  std::chrono::milliseconds max{5000};
  double factor = 2.0;
  double jitter = 0.5;
};

class backoff {
 public:
  explicit backoff(backoff_options o = {}) : o_(o) {}
  // The delay before the next attempt; `random` is uniform in [0, 1).
  std::chrono::milliseconds next(double random);
  void reset() { attempts_ = 0; }
  unsigned attempts() const { return attempts_; }

 private:
  backoff_options o_;
  unsigned attempts_ = 0;
};

}  // namespace sio

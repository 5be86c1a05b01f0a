// sio::backoff: the reconnection delays of socket.io-client (min * factor^attempt, +/- jitter,
// capped), with the random number handed in so that every delay can be checked exactly.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "core/common/backoff.hpp"

using sio::backoff;
using sio::backoff_options;
using ms = std::chrono::milliseconds;

TEST_CASE("backoff: without jitter the delay doubles from min and stops at max") {
  backoff b({ms(100), ms(5000), 2.0, 0.0});
  const long long expected[] = {100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000};
  for (long long e : expected) CHECK(b.next(0.7).count() == e);
  CHECK(b.attempts() == 9);
}

TEST_CASE("backoff: the factor is the growth rate") {
  backoff b({ms(10), ms(100000), 3.0, 0.0});
  CHECK(b.next(0).count() == 10);
  CHECK(b.next(0).count() == 30);
  CHECK(b.next(0).count() == 90);
}

TEST_CASE("backoff: the cap holds after any number of attempts") {
  backoff b({ms(100), ms(5000), 2.0, 0.5});
  for (int i = 0; i < 2000; ++i) b.next(0.99);  // 2^2000 overflows a double to infinity
  // Infinity minus the deviation would be NaN, and NaN cast to an integer anything at all.
  CHECK(b.next(0.99).count() == 5000);
  CHECK(b.next(0.25).count() == 5000);
  CHECK(b.next(0.0).count() == 5000);
}

TEST_CASE("backoff: jitter moves the delay by at most jitter * delay, as socket.io-client does") {
  // random 0.25: deviation floor(0.25 * 0.5 * 1000) = 125; floor(2.5) = 2 is even, so down.
  CHECK(backoff({ms(1000), ms(10000), 2.0, 0.5}).next(0.25).count() == 875);
  // random 0.35: deviation floor(175.0) = 175; floor(3.5) = 3 is odd, so up.
  CHECK(backoff({ms(1000), ms(10000), 2.0, 0.5}).next(0.35).count() == 1175);
  CHECK(backoff({ms(1000), ms(10000), 2.0, 0.5}).next(0.0).count() == 1000);

  long long lowest = 1000;
  long long highest = 1000;
  for (int i = 0; i < 1000; ++i) {
    const long long d = backoff({ms(1000), ms(10000), 2.0, 0.5}).next(i / 1000.0).count();
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
  }
  CHECK(lowest >= 500);
  CHECK(lowest < 600);  // the spread is really used, both ways
  CHECK(highest <= 1500);
  CHECK(highest > 1400);
}

TEST_CASE("backoff: reset starts again from min") {
  backoff b({ms(100), ms(5000), 2.0, 0.0});
  b.next(0);
  b.next(0);
  b.next(0);
  REQUIRE(b.attempts() == 3);
  b.reset();
  CHECK(b.attempts() == 0);
  CHECK(b.next(0).count() == 100);
  CHECK(b.next(0).count() == 200);
}

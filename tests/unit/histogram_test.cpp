// The bench's latency histogram: bounded relative error, exact small values, merging.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/common/histogram.hpp"

using sio::histogram;

TEST_CASE("histogram: values below 256 are exact") {
  histogram h;
  for (std::uint64_t v = 0; v < 256; ++v) {
    CHECK(histogram::lowest_in(histogram::bucket_of(v)) == v);
    CHECK(histogram::highest_in(histogram::bucket_of(v)) == v);
  }
}

TEST_CASE("histogram: every bucket's width is within 1/128 of its values") {
  for (std::size_t b = 256; b < histogram::bucket_of(histogram::max_value()) + 1; b += 7) {
    const auto lo = histogram::lowest_in(b);
    const auto hi = histogram::highest_in(b);
    CAPTURE(b);
    CHECK(histogram::bucket_of(lo) == b);
    CHECK(histogram::bucket_of(hi) == b);
    CHECK(histogram::bucket_of(hi + 1) == b + 1);
    CHECK(static_cast<double>(hi - lo) / static_cast<double>(lo) < 1.0 / 128);
  }
}

TEST_CASE("histogram: percentiles match the exact ones within 1%") {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(12.0, 1.5);  // around 160 us in ns, long tail
  std::vector<std::uint64_t> values;
  histogram h;
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<std::uint64_t>(dist(rng));
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    CAPTURE(q);
    const auto rank =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))));
    const double exact = static_cast<double>(values[rank - 1]);
    const double got = static_cast<double>(h.value_at(q));
    CHECK(got >= exact);
    CHECK((got - exact) / std::max(1.0, exact) <= 0.01);
  }
  CHECK(h.count() == values.size());
  CHECK(h.max() == values.back());
  CHECK(h.min() == values.front());
}

TEST_CASE("histogram: merging equals recording everything in one") {
  histogram a, b, all;
  for (std::uint64_t v = 1; v < 50000; v += 13) {
    ((v % 2) ? a : b).record(v * 31);
    all.record(v * 31);
  }
  a.merge(b);
  CHECK(a.count() == all.count());
  CHECK(a.max() == all.max());
  CHECK(a.min() == all.min());
  CHECK(a.mean() == doctest::Approx(all.mean()));
  for (double q : {0.1, 0.5, 0.99, 0.9999}) CHECK(a.value_at(q) == all.value_at(q));
}

TEST_CASE("histogram: empty, clamped and reset") {
  histogram h;
  CHECK(h.value_at(0.5) == 0);
  CHECK(h.max() == 0);
  CHECK(h.min() == 0);
  h.record(UINT64_MAX);
  CHECK(h.max() == histogram::max_value());
  CHECK(h.value_at(0.5) == histogram::max_value());
  h.record(10, 3);
  CHECK(h.count() == 4);
  CHECK(h.value_at(0.5) == 10);
  h.reset();
  CHECK(h.count() == 0);
  CHECK(h.value_at(0.99) == 0);
}

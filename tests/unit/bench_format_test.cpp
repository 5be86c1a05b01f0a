// The numbers `sio bench` shows people (cmd/bench_format.hpp) and the generator-bound
// warning (cmd/bench_cpu.hpp).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "cmd/bench_cpu.hpp"
#include "cmd/bench_format.hpp"

using namespace sio::cmd;

TEST_CASE("bench format: si keeps three significant digits and a prefix from 1000 up") {
  const std::pair<double, const char*> rows[] = {
      {0, "0"},         {0.25, "0.25"}, {0.126, "0.13"},    {1, "1"},       {12.34, "12.3"},
      {999, "999"},     {999.7, "1k"},  {1000, "1k"},       {1500, "1.5k"}, {12345, "12.3k"},
      {500000, "500k"}, {999999, "1M"}, {1250000, "1.25M"}, {2e9, "2G"},    {-1500, "-1.5k"},
  };
  for (const auto& [v, want] : rows) {
    CAPTURE(v);
    CHECK(si(v) == want);
  }
}

TEST_CASE("bench format: grouped and fixed") {
  CHECK(grouped(0) == "0");
  CHECK(grouped(999) == "999");
  CHECK(grouped(1000) == "1,000");
  CHECK(grouped(1234567) == "1,234,567");
  CHECK(fixed(2.6884319999999997, 2) == "2.69");
  CHECK(fixed(12345.678, 2) == "12,345.68");
  CHECK(fixed(1234567.4, 0) == "1,234,567");
  CHECK(fixed(-0.001, 2) == "0.00");
  CHECK(fixed(-1234.5, 1) == "-1,234.5");
}

TEST_CASE("bench format: axis ticks are distinct, increasing, nice and cover the maximum") {
  for (double max : {0.0, 0.003, 0.7, 1.0, 2.2, 2.6884319999999997, 7.0, 10.0, 61.0, 499.0, 500000.0, 123456789.0}) {
    CAPTURE(max);
    const auto ticks = axis_ticks(max, 5);
    REQUIRE(ticks.size() >= 2);
    CHECK(ticks.front() == 0);
    CHECK(ticks.back() >= max);
    CHECK(ticks.size() <= 12);
    const double step = ticks[1] - ticks[0];
    for (std::size_t i = 1; i < ticks.size(); ++i) CHECK(ticks[i] > ticks[i - 1]);
    // 1, 2 or 5 times a power of ten
    const double mantissa = step / std::pow(10, std::floor(std::log10(step) + 1e-9));
    CHECK((std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9));
  }
  CHECK(axis_ticks(2.2, 5) == std::vector<double>{0, 0.5, 1, 1.5, 2, 2.5});
  CHECK(axis_ticks(500000, 4) == std::vector<double>{0, 200000, 400000, 600000});
  CHECK(step_decimals(0.5) == 1);
  CHECK(step_decimals(0.25) == 2);
  CHECK(step_decimals(5) == 0);
  CHECK(step_decimals(0.1 + 0.2 - 0.2) == 1);
}

TEST_CASE("bench cpu: the share of the generator's cores it used") {
  CHECK(generator_cpu_percent(0.98, 1.0, 1) == doctest::Approx(98));
  CHECK(generator_cpu_percent(3.0, 2.0, 2) == doctest::Approx(75));
  CHECK(generator_cpu_percent(1.0, 0.0, 1) == 0);  // no window
  CHECK(generator_cores(1) == 1);
  CHECK(generator_cores(4) >= 1);
  CHECK(generator_cores(4) <= 4);
}

TEST_CASE("bench cpu: the warning from 90 % on") {
  CHECK_FALSE(generator_bound_warning(0, 1));
  CHECK_FALSE(generator_bound_warning(50, 1));
  CHECK_FALSE(generator_bound_warning(89.9, 1));
  REQUIRE(generator_bound_warning(90, 1));
  CHECK(*generator_bound_warning(98.2, 1) ==
        "sio bench: the generator was CPU-bound (98 % of 1 core): the results measure the load generator, not the "
        "server; use more --threads or another machine");
  // The main thread adds a little: the figure shown never passes 100 %.
  CHECK(generator_bound_warning(101.5, 2)->find("(100 % of 2 cores)") != std::string::npos);
}

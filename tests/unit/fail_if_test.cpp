// `sio bench --fail-if` conditions.
#include <doctest/doctest.h>

#include "cmd/fail_if.hpp"

using sio::cmd::fail_condition;
using sio::cmd::parse_fail_condition;

TEST_CASE("fail-if: metrics, comparisons and units") {
  struct row {
    const char* text;
    const char* metric;
    fail_condition::op op;
    double value;
  };
  const row rows[] = {
      {"p99>20ms", "p99", fail_condition::op::gt, 20000},
      {"p99 > 20", "p99", fail_condition::op::gt, 20000},
      {"p50>=1.5s", "p50", fail_condition::op::ge, 1.5e6},
      {"max<500us", "max", fail_condition::op::lt, 500},
      {"p999<=2500ns", "p999", fail_condition::op::le, 2.5},
      {"connect_p99>1s", "connect_p99", fail_condition::op::gt, 1e6},
      {"errors>0", "errors", fail_condition::op::gt, 0},
      {"throughput<1000", "throughput", fail_condition::op::lt, 1000},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    std::string error;
    auto c = parse_fail_condition(r.text, error);
    REQUIRE(c);
    CHECK(error.empty());
    CHECK(c->metric == r.metric);
    CHECK(c->comparison == r.op);
    CHECK(c->value == doctest::Approx(r.value));
  }
}

TEST_CASE("fail-if: holds compares as written") {
  std::string error;
  auto gt = parse_fail_condition("errors>0", error);
  CHECK_FALSE(gt->holds(0));
  CHECK(gt->holds(1));
  auto ge = parse_fail_condition("p99>=20ms", error);
  CHECK(ge->holds(20000));
  CHECK_FALSE(ge->holds(19999));
  auto lt = parse_fail_condition("throughput<10", error);
  CHECK(lt->holds(9.5));
  CHECK_FALSE(lt->holds(10));
}

TEST_CASE("fail-if: bad conditions say why") {
  for (const char* bad : {"", "p99", ">3", "bogus>1", "p99>", "p99>-1", "p99>3parsecs", "errors>1ms", "p99>>1"}) {
    CAPTURE(bad);
    std::string error;
    CHECK_FALSE(parse_fail_condition(bad, error));
    CHECK_FALSE(error.empty());
  }
}

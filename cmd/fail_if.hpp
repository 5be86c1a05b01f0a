#pragma once
// `sio bench --fail-if` conditions: METRIC OP VALUE[UNIT], e.g. "p99>20ms", "errors>0",
// "throughput<5000". Latency metrics take ns, us, ms or s (a bare number is milliseconds)
// and are compared in microseconds; the others are plain numbers.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sio::cmd {

struct fail_condition {
  enum class op { gt, ge, lt, le };
  std::string metric;
  op comparison = op::gt;
  double value = 0;  // microseconds for latency metrics
  std::string text;  // as written, for the message

  bool holds(double actual) const;
};

// The metric names a condition may use.
const std::vector<std::string>& fail_metrics();
bool is_latency_metric(std::string_view metric);

// Parses one condition; on error, `error` says what is wrong.
std::optional<fail_condition> parse_fail_condition(std::string_view text, std::string& error);

}  // namespace sio::cmd

#include "cmd/fail_if.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sio::cmd {

const std::vector<std::string>& fail_metrics() {
  static const std::vector<std::string> names = {"p50",
                                                 "p90",
                                                 "p99",
                                                 "p999",
                                                 "max",
                                                 "mean",
                                                 "connect_p50",
                                                 "connect_p90",
                                                 "connect_p99",
                                                 "connect_max",
                                                 "errors",
                                                 "drops",
                                                 "throughput",
                                                 "sent",
                                                 "received",
                                                 "connected",
                                                 "connect_failures"};
  return names;
}

bool is_latency_metric(std::string_view m) {
  if (m.starts_with("connect_")) m.remove_prefix(8);
  return m == "p50" || m == "p90" || m == "p99" || m == "p999" || m == "max" || m == "mean";
}

bool fail_condition::holds(double actual) const {
  switch (comparison) {
    case op::gt: return actual > value;
    case op::ge: return actual >= value;
    case op::lt: return actual < value;
    case op::le: return actual <= value;
  }
  return false;
}

std::optional<fail_condition> parse_fail_condition(std::string_view text, std::string& error) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) s.push_back(c);
  const auto at = s.find_first_of("<>");
  if (at == std::string::npos || at == 0) {
    error = "expected METRIC>VALUE or METRIC<VALUE (e.g. p99>20ms, errors>0)";
    return std::nullopt;
  }
  fail_condition c;
  c.text = s;
  c.metric = s.substr(0, at);
  const auto& names = fail_metrics();
  if (std::find(names.begin(), names.end(), c.metric) == names.end()) {
    error = "unknown metric '" + c.metric + "'";
    return std::nullopt;
  }
  std::size_t pos = at + 1;
  const bool equal = pos < s.size() && s[pos] == '=';
  if (equal) ++pos;
  c.comparison = s[at] == '>' ? (equal ? fail_condition::op::ge : fail_condition::op::gt)
                              : (equal ? fail_condition::op::le : fail_condition::op::lt);
  const char* begin = s.data() + pos;
  const char* end = s.data() + s.size();
  double v = 0;
  const auto [rest, ec] = std::from_chars(begin, end, v);
  if (ec != std::errc{} || rest == begin || v < 0) {
    error = "expected a non-negative number after the comparison in '" + s + "'";
    return std::nullopt;
  }
  const std::string_view unit(rest, static_cast<std::size_t>(end - rest));
  if (is_latency_metric(c.metric)) {
    if (unit.empty() || unit == "ms") {
      v *= 1e3;
    } else if (unit == "s") {
      v *= 1e6;
    } else if (unit == "ns") {
      v /= 1e3;
    } else if (unit != "us") {
      error = "unknown unit '" + std::string(unit) + "' (use ns, us, ms or s)";
      return std::nullopt;
    }
  } else if (!unit.empty()) {
    error = "'" + c.metric + "' takes a plain number, not '" + std::string(unit) + "'";
    return std::nullopt;
  }
  c.value = v;
  return c;
}

}  // namespace sio::cmd

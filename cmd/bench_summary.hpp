#pragma once
// The outcome of `sio bench` as the summary object (the last line of stdout with --json),
// as text for people, and as the values --fail-if conditions test.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/bench/options.hpp"
#include "core/bench/runner.hpp"

namespace sio::cmd {

// `urls`: the main URL, then every --also URL, as given; `cores`: what the generator's threads
// could use (generator_cores()).
nlohmann::ordered_json bench_summary(const bench::options& o, const std::vector<std::string>& urls,
                                     const bench::outcome& r, unsigned cores);
std::string bench_summary_text(const nlohmann::ordered_json& s);
// The value of a --fail-if metric (latencies in microseconds).
std::optional<double> bench_metric(const nlohmann::ordered_json& s, const std::string& metric);
std::string_view scenario_name(bench::scenario s);
// The unit of `throughput`: "msg/s", or "connects/s" for the connect scenario.
std::string_view rate_unit(std::string_view scenario);

}  // namespace sio::cmd

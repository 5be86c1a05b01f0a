#pragma once
// `sio bench --report FILE.html`: one self-contained page (inline SVG and CSS, no scripts)
// with the summary and throughput and latency percentiles over time.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/bench/runner.hpp"

namespace sio::cmd {

std::string bench_report_html(const nlohmann::ordered_json& summary, const std::vector<bench::sample>& timeline);

}  // namespace sio::cmd

#include "cmd/bench_summary.hpp"

#include <fmt/format.h>

#include <cmath>

#include "cmd/bench_cpu.hpp"

namespace sio::cmd {

namespace {

nlohmann::ordered_json percentiles_us(const histogram& h) {
  auto us = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e3; };
  nlohmann::ordered_json j;
  j["p50"] = us(h.value_at(0.5));
  j["p90"] = us(h.value_at(0.9));
  j["p99"] = us(h.value_at(0.99));
  j["p999"] = us(h.value_at(0.999));
  j["max"] = us(h.max());
  j["mean"] = h.mean() / 1e3;
  j["count"] = h.count();
  return j;
}

std::string_view transport_name(const bench::options& o) {
  switch (o.engine.mode) {
    case client::transport_mode::websocket: return "websocket";
    case client::transport_mode::polling: return "polling";
    case client::transport_mode::upgrade: return "upgrade";
  }
  return "";
}

std::string ms(double us) { return fmt::format("{:.3f} ms", us / 1e3); }

}  // namespace

std::string_view rate_unit(std::string_view scenario) { return scenario == "connect" ? "connects/s" : "msg/s"; }

std::string_view scenario_name(bench::scenario s) {
  switch (s) {
    case bench::scenario::echo: return "echo";
    case bench::scenario::broadcast: return "broadcast";
    case bench::scenario::connect: return "connect";
    case bench::scenario::idle: return "idle";
  }
  return "";
}

nlohmann::ordered_json bench_summary(const bench::options& o, const std::vector<std::string>& urls,
                                     const bench::outcome& r, unsigned cores) {
  const auto& t = r.merged.total;
  nlohmann::ordered_json s;
  s["scenario"] = scenario_name(o.kind);
  s["url"] = urls.front();
  s["urls"] = urls;  // every server the clients were spread over, the main URL first
  s["transport"] = transport_name(o);
  s["clients"] = r.clients;
  s["connected"] = r.merged.connected_now;
  s["threads"] = o.threads;
  s["duration_s"] = r.duration_s;
  s["sent"] = t.sent;
  s["received"] = t.received;
  s["errors"] = t.errors;
  s["drops"] = t.drops;
  s["connect_failures"] = t.connect_failures;
  s["ack_timeouts"] = t.ack_timeouts;
  s["reconnects"] = t.reconnects;
  s["in_flight"] = r.merged.in_flight;
  s["throughput"] = r.duration_s > 0 ? static_cast<double>(t.received) / r.duration_s : 0.0;
  s["latency_us"] = percentiles_us(o.kind == bench::scenario::connect ? r.merged.connect_latency : r.merged.latency);
  s["connect_latency_us"] = percentiles_us(r.merged.connect_latency);
  s["generator_cpu_s"] = r.generator_cpu_s;
  s["generator_cores"] = cores;
  // One decimal: a share, not a measurement to the last bit.
  s["generator_cpu_percent"] = std::round(generator_cpu_percent(r.generator_cpu_s, r.duration_s, cores) * 10) / 10;
  s["throughput_per_core"] = r.generator_cpu_s > 0 ? static_cast<double>(t.received) / r.generator_cpu_s : 0.0;
  s["payload_size"] = o.payload_size;
  if (o.rate > 0) s["rate"] = o.rate;
  if (o.kind == bench::scenario::broadcast) s["senders"] = o.senders;
  s["interrupted"] = r.interrupted;
  return s;
}

std::optional<double> bench_metric(const nlohmann::ordered_json& s, const std::string& metric) {
  const auto get = [](const nlohmann::ordered_json& j, const std::string& key) -> std::optional<double> {
    if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
    return j[key].get<double>();
  };
  if (metric.starts_with("connect_") && metric != "connect_failures")
    return get(s["connect_latency_us"], metric.substr(8));
  if (s["latency_us"].contains(metric)) return get(s["latency_us"], metric);
  return get(s, metric);
}

std::string bench_summary_text(const nlohmann::ordered_json& s) {
  const auto& l = s["latency_us"];
  const auto& c = s["connect_latency_us"];
  const std::size_t servers = s["urls"].size();
  std::string out =
      fmt::format("scenario    {} ({}), {} clients, {} connected, {} thread(s){}\n", s["scenario"].get<std::string>(),
                  s["transport"].get<std::string>(), s["clients"].get<unsigned>(), s["connected"].get<std::uint64_t>(),
                  s["threads"].get<unsigned>(), servers > 1 ? fmt::format(", {} servers", servers) : std::string());
  out += fmt::format("window      {:.2f} s\n", s["duration_s"].get<double>());
  out += fmt::format("messages    {} sent, {} received, {:.0f} {}\n", s["sent"].get<std::uint64_t>(),
                     s["received"].get<std::uint64_t>(), s["throughput"].get<double>(),
                     rate_unit(s["scenario"].get<std::string>()));
  out += fmt::format("latency     p50 {}  p90 {}  p99 {}  p99.9 {}  max {}\n", ms(l["p50"]), ms(l["p90"]), ms(l["p99"]),
                     ms(l["p999"]), ms(l["max"]));
  out += fmt::format("connect     p50 {}  p99 {}  max {}\n", ms(c["p50"]), ms(c["p99"]), ms(c["max"]));
  out += fmt::format("errors      {} ({} connect failures, {} drops, {} ack timeouts), {} reconnects\n",
                     s["errors"].get<std::uint64_t>(), s["connect_failures"].get<std::uint64_t>(),
                     s["drops"].get<std::uint64_t>(), s["ack_timeouts"].get<std::uint64_t>(),
                     s["reconnects"].get<std::uint64_t>());
  const auto cores = s["generator_cores"].get<unsigned>();
  out += fmt::format("generator   {:.2f} CPU s ({:.0f} % of {} core{}), {:.0f} {} per CPU second\n",
                     s["generator_cpu_s"].get<double>(), s["generator_cpu_percent"].get<double>(), cores,
                     cores == 1 ? "" : "s", s["throughput_per_core"].get<double>(),
                     s["scenario"] == "connect" ? "connects" : "msg");
  if (s["interrupted"].get<bool>()) out += "interrupted before the end: the figures cover what ran\n";
  return out;
}

}  // namespace sio::cmd

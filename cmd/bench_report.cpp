#include "cmd/bench_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cmd/bench_format.hpp"
#include "cmd/bench_summary.hpp"

namespace sio::cmd {

namespace {

struct series {
  std::string name;
  std::string colour;
  std::vector<double> y;
};

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// A tick's label: SI from a step of 1000 up ("500k"), else the decimals the step needs ("0.25").
std::string tick_label(double v, double step) {
  return step >= 1000 ? si(v) : fmt::format("{:.{}f}", v, step_decimals(step));
}

std::string chart(const std::string& title, const std::vector<double>& x, const std::vector<series>& lines) {
  constexpr double w = 760, h = 260, left = 60, right = 20, top = 34, bottom = 30;
  double ymax = 0;
  for (const auto& s : lines)
    for (double v : s.y) ymax = std::max(ymax, v);
  const auto yticks = axis_ticks(ymax, 4);
  const auto xticks = axis_ticks(x.empty() ? 1 : x.back(), 6);
  const double ytop = yticks.back(), xtop = xticks.back();
  auto px = [&](double v) { return left + (w - left - right) * v / xtop; };
  auto py = [&](double v) { return top + (h - top - bottom) * (1 - v / ytop); };
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {} {}' width='{}' height='{}' role='img'>"
      "<title>{}</title><text x='{}' y='18' class='t'>{}</text>",
      w, h, w, h, escape(title), left, escape(title));
  const double ystep = yticks[1] - yticks[0], xstep = xticks[1] - xticks[0];
  for (double v : yticks) {
    svg += fmt::format("<line x1='{}' x2='{}' y1='{:.1f}' y2='{:.1f}' class='g'/>", left, w - right, py(v), py(v));
    svg += fmt::format("<text x='{}' y='{:.1f}' class='a y' text-anchor='end'>{}</text>", left - 6, py(v) + 4,
                       tick_label(v, ystep));
  }
  for (double v : xticks)
    svg += fmt::format("<text x='{:.1f}' y='{}' class='a x' text-anchor='middle'>{} s</text>", px(v), h - 10,
                       tick_label(v, xstep));
  // The legend, right-aligned on the title's line, clear of the axes.
  double legend_x = w - right - 90.0 * static_cast<double>(lines.size());
  for (const auto& s : lines) {
    std::string points;
    for (std::size_t i = 0; i < s.y.size() && i < x.size(); ++i)
      points += fmt::format("{:.1f},{:.1f} ", px(x[i]), py(s.y[i]));
    svg += fmt::format("<polyline fill='none' stroke='{}' stroke-width='2' points='{}'/>", s.colour, points);
    svg += fmt::format("<rect x='{}' y='11' width='12' height='3' fill='{}'/><text x='{}' y='17' class='a'>{}</text>",
                       legend_x, s.colour, legend_x + 16, escape(s.name));
    legend_x += 90;
  }
  return svg + "</svg>";
}

std::string ms(const nlohmann::ordered_json& us) { return fixed(us.get<double>() / 1e3, 3); }

std::string count(const nlohmann::ordered_json& n) { return grouped(n.get<std::uint64_t>()); }

std::string percentiles(const nlohmann::ordered_json& l) {
  return fmt::format(
      "p50 {} &middot; p90 {} &middot; p99 {} &middot; p99.9 {} &middot; max {} &middot; mean {} ms "
      "({} samples)",
      ms(l["p50"]), ms(l["p90"]), ms(l["p99"]), ms(l["p999"]), ms(l["max"]), ms(l["mean"]), count(l["count"]));
}

// The summary as a table for people: labels, units, grouped digits, no JSON quoting.
std::string summary_rows(const nlohmann::ordered_json& s) {
  std::vector<std::pair<std::string, std::string>> rows;
  const auto text = [](const nlohmann::ordered_json& j) { return escape(j.get<std::string>()); };
  const std::string scenario = s["scenario"].get<std::string>();
  rows.emplace_back("Scenario", fmt::format("{} ({})", text(s["scenario"]), text(s["transport"])));
  std::string urls;
  for (const auto& u : s["urls"]) urls += (urls.empty() ? "" : "<br>") + text(u);
  rows.emplace_back(s["urls"].size() > 1 ? "Servers" : "Server", urls);
  rows.emplace_back("Clients",
                    fmt::format("{} asked, {} connected at the end", count(s["clients"]), count(s["connected"])));
  rows.emplace_back("Threads", count(s["threads"]));
  rows.emplace_back("Measured window", fixed(s["duration_s"].get<double>(), 2) + " s");
  rows.emplace_back("Messages", fmt::format("{} sent, {} received, {} in flight at the end", count(s["sent"]),
                                            count(s["received"]), count(s["in_flight"])));
  rows.emplace_back("Throughput", fmt::format("{} {}", fixed(s["throughput"].get<double>(), 0), rate_unit(scenario)));
  rows.emplace_back(scenario == "connect" ? "Latency (connects)" : "Latency", percentiles(s["latency_us"]));
  rows.emplace_back("Connect latency", percentiles(s["connect_latency_us"]));
  rows.emplace_back("Errors", fmt::format("{} ({} connect failures, {} drops)", count(s["errors"]),
                                          count(s["connect_failures"]), count(s["drops"])));
  const auto cores = s["generator_cores"].get<unsigned>();
  rows.emplace_back(
      "Generator CPU",
      fmt::format("{} s, {} % of {} core{}; {} {} per CPU second", fixed(s["generator_cpu_s"].get<double>(), 2),
                  fixed(s["generator_cpu_percent"].get<double>(), 0), cores, cores == 1 ? "" : "s",
                  fixed(s["throughput_per_core"].get<double>(), 0), scenario == "connect" ? "connects" : "msg"));
  rows.emplace_back("Payload", count(s["payload_size"]) + " bytes");
  if (s.contains("rate")) rows.emplace_back("Rate", fixed(s["rate"].get<double>(), 0) + " events/s");
  if (s.contains("senders")) rows.emplace_back("Senders", count(s["senders"]));
  rows.emplace_back("Interrupted", s["interrupted"].get<bool>() ? "yes: the figures cover what ran" : "no");
  std::string out;
  for (const auto& [label, value] : rows) out += fmt::format("<tr><th>{}</th><td>{}</td></tr>", label, value);
  return out;
}

}  // namespace

std::string bench_report_html(const nlohmann::ordered_json& summary, const std::vector<bench::sample>& timeline) {
  const std::string scenario = summary.value("scenario", "");
  std::vector<double> x;
  series rate{std::string(rate_unit(scenario)), "#2563eb", {}}, connected{"open", "#16a34a", {}};
  series p50{"p50", "#16a34a", {}}, p90{"p90", "#2563eb", {}}, p99{"p99", "#d97706", {}}, max{"max", "#dc2626", {}};
  for (const auto& s : timeline) {
    x.push_back(s.t_s);
    rate.y.push_back(s.interval_s > 0 ? static_cast<double>(s.delta.received) / s.interval_s : 0);
    connected.y.push_back(static_cast<double>(s.connected));
    p50.y.push_back(static_cast<double>(s.p50_ns) / 1e6);
    p90.y.push_back(static_cast<double>(s.p90_ns) / 1e6);
    p99.y.push_back(static_cast<double>(s.p99_ns) / 1e6);
    max.y.push_back(static_cast<double>(s.max_ns) / 1e6);
  }
  const std::string title = fmt::format("sio bench: {} against {}", scenario, summary.value("url", ""));
  return fmt::format(
      "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{0}</title><style>"
      "body{{font:14px system-ui,sans-serif;margin:2em;color:#111}}table{{border-collapse:collapse}}"
      "th,td{{text-align:left;padding:2px 10px;border-bottom:1px solid #ddd}}th{{font-weight:600;white-space:nowrap}}"
      "svg{{display:block;margin:1em 0}}.t{{font-weight:bold;font-size:14px}}.a{{font-size:11px;fill:#555}}"
      ".g{{stroke:#e5e5e5}}"
      "</style></head><body><h1>{0}</h1><p>Every point is one interval of about a second; "
      "latency percentiles are for the messages received in that interval. The first points may be "
      "connecting and warming up; the summary covers the measured window only.</p>{1}{2}{3}<h2>Summary</h2>"
      "<table>{4}</table></body></html>\n",
      escape(title), chart(fmt::format("Throughput ({})", rate_unit(scenario)), x, {rate}),
      chart("Latency (ms)", x, {p50, p90, p99, max}), chart("Open connections", x, {connected}), summary_rows(summary));
}

}  // namespace sio::cmd

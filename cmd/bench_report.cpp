#include "cmd/bench_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

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
      default: out.push_back(c);
    }
  }
  return out;
}

// A "nice" axis top: 1, 2 or 5 times a power of ten.
double nice_ceiling(double v) {
  if (v <= 0) return 1;
  const double p = std::pow(10, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= v) return m * p;
  return 10 * p;
}

std::string chart(const std::string& title, const std::string& unit, const std::vector<double>& x,
                  const std::vector<series>& lines) {
  constexpr double w = 760, h = 260, left = 70, right = 20, top = 30, bottom = 40;
  double ymax = 0;
  for (const auto& s : lines)
    for (double v : s.y) ymax = std::max(ymax, v);
  ymax = nice_ceiling(ymax);
  const double xmax = x.empty() ? 1 : std::max(1.0, x.back());
  auto px = [&](double v) { return left + (w - left - right) * v / xmax; };
  auto py = [&](double v) { return top + (h - top - bottom) * (1 - v / ymax); };
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {} {}' width='{}' height='{}' role='img'>"
      "<title>{}</title><text x='{}' y='18' class='t'>{}</text>",
      w, h, w, h, escape(title), left, escape(title));
  for (int i = 0; i <= 4; ++i) {
    const double v = ymax * i / 4;
    svg += fmt::format("<line x1='{}' x2='{}' y1='{:.1f}' y2='{:.1f}' class='g'/>", left, w - right, py(v), py(v));
    svg += fmt::format("<text x='{}' y='{:.1f}' class='a' text-anchor='end'>{:g} {}</text>", left - 6, py(v) + 4, v,
                       escape(unit));
  }
  for (int i = 0; i <= 5; ++i) {
    const double v = xmax * i / 5;
    svg += fmt::format("<text x='{:.1f}' y='{}' class='a' text-anchor='middle'>{:.0f} s</text>", px(v), h - 18, v);
  }
  double legend_x = left;
  for (const auto& s : lines) {
    std::string points;
    for (std::size_t i = 0; i < s.y.size() && i < x.size(); ++i)
      points += fmt::format("{:.1f},{:.1f} ", px(x[i]), py(s.y[i]));
    svg += fmt::format("<polyline fill='none' stroke='{}' stroke-width='2' points='{}'/>", s.colour, points);
    svg += fmt::format("<rect x='{}' y='{}' width='12' height='3' fill='{}'/><text x='{}' y='{}' class='a'>{}</text>",
                       legend_x, h - 6, s.colour, legend_x + 16, h - 2, escape(s.name));
    legend_x += 90;
  }
  return svg + "</svg>";
}

}  // namespace

std::string bench_report_html(const nlohmann::ordered_json& summary, const std::vector<bench::sample>& timeline) {
  std::vector<double> x;
  series rate{"msgs/s", "#2563eb", {}}, connected{"connected", "#16a34a", {}};
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
  std::string rows;
  for (const auto& [key, value] : summary.items()) {
    if (value.is_object()) {
      std::string cells;
      for (const auto& [k, v] : value.items()) cells += fmt::format("{} {} &nbsp; ", escape(k), escape(v.dump()));
      rows += fmt::format("<tr><th>{}</th><td>{}</td></tr>", escape(key), cells);
    } else {
      rows += fmt::format("<tr><th>{}</th><td>{}</td></tr>", escape(key), escape(value.dump()));
    }
  }
  const std::string title =
      fmt::format("sio bench: {} against {}", summary.value("scenario", ""), summary.value("url", ""));
  return fmt::format(
      "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{0}</title><style>"
      "body{{font:14px system-ui,sans-serif;margin:2em;color:#111}}table{{border-collapse:collapse}}"
      "th,td{{text-align:left;padding:2px 10px;border-bottom:1px solid #ddd}}"
      ".t{{font-weight:bold;font-size:14px}}.a{{font-size:11px;fill:#555}}.g{{stroke:#e5e5e5}}"
      "</style></head><body><h1>{0}</h1><p>Every point is one interval of about a second; "
      "latency percentiles are for the messages received in that interval.</p>{1}{2}{3}<h2>Summary</h2>"
      "<table>{4}</table></body></html>\n",
      escape(title), chart("Throughput", "msg/s", x, {rate}), chart("Latency", "ms", x, {p50, p90, p99, max}),
      chart("Connections", "", x, {connected}), rows);
}

}  // namespace sio::cmd

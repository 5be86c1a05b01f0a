#include "cmd/bench_progress.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>

#include <vector>

#include "cmd/bench_format.hpp"

namespace sio::cmd {

namespace {

struct field {
  std::string text;
  int keep;  // the lowest is dropped first
};

// Milliseconds, three significant digits ("0.41", "2.1", "123", "1234").
std::string ms(std::uint64_t ns) {
  const double v = static_cast<double>(ns) / 1e6;
  return v < 999.5 ? si(v) : fmt::format("{:.0f}", v);
}

std::string join(const std::vector<field>& fields) {
  std::string out;
  for (const auto& f : fields) {
    if (f.text.empty()) continue;
    if (!out.empty()) out += "  ";
    out += f.text;
  }
  return out;
}

}  // namespace

std::string progress_line(const progress_context& c, const bench::sample& s, std::size_t width) {
  const double rate = s.interval_s > 0 ? static_cast<double>(s.delta.received) / s.interval_s : 0;
  const bool storm = c.scenario == "connect";  // connections come and go: no fixed total
  // The latency fields form one group ("p50 0.41 p99 2.1 max 9.8 ms"): the unit goes on the last one kept.
  std::vector<field> fields{
      {fmt::format("sio bench {} {:.0f}s {}", c.scenario, s.t_s, s.phase), 100},
      {fmt::format("{} {}", si(rate), storm ? "connects/s" : "msg/s"), 100},
      {"p50 " + ms(s.p50_ns), 2},
      {"p99 " + ms(s.p99_ns), 5},
      {"max " + ms(s.max_ns), 1},
      {storm ? fmt::format("open {}", s.connected) : fmt::format("conns {}/{}", s.connected, c.clients), 3},
      {fmt::format("errors {}", s.delta.errors), 4},
  };
  auto render = [&] {
    std::vector<field> out;
    std::string latency;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const bool is_latency = i >= 2 && i <= 4;
      if (is_latency) {
        if (!fields[i].text.empty()) latency += (latency.empty() ? "" : " ") + fields[i].text;
        if (i == 4 && !latency.empty()) out.push_back({latency + " ms", 0});
        continue;
      }
      out.push_back(fields[i]);
    }
    return join(out);
  };
  std::string line = render();
  while (width > 0 && line.size() > width) {
    field* drop = nullptr;
    for (auto& f : fields)
      if (!f.text.empty() && f.keep < 100 && (!drop || f.keep < drop->keep)) drop = &f;
    if (!drop) break;
    drop->text.clear();
    line = render();
  }
  if (width > 0 && line.size() > width) line.resize(width);  // a very narrow terminal: cut, never wrap
  return line;
}

std::size_t terminal_columns(int fd, std::size_t fallback) {
  winsize w{};
  if (ioctl(fd, TIOCGWINSZ, &w) != 0 || w.ws_col == 0) return fallback;
  return w.ws_col;
}

}  // namespace sio::cmd

// `sio bench --report`'s HTML (cmd/bench_report.cpp) and the progress line
// (cmd/bench_progress.cpp), from canned results.
#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include "cmd/bench_progress.hpp"
#include "cmd/bench_report.hpp"
#include "cmd/bench_summary.hpp"

using namespace sio;
using namespace sio::cmd;

namespace {

std::vector<std::string> matches(const std::string& html, const std::string& pattern) {
  std::vector<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

// An echo run of 2.69 s (after 1 s of warmup) at about 500,000 msg/s, as the runner reports it.
struct canned {
  bench::options opts;
  bench::outcome out;
  canned() {
    opts.engine.url = *client::parse_url("http://127.0.0.1:3000");
    opts.engine.mode = client::transport_mode::websocket;
    opts.clients = 100;
    out.clients = 100;
    out.duration_s = 2.6884319999999997;
    out.generator_cpu_s = 2.6353;
    out.merged.total.sent = 1344300;
    out.merged.total.received = 1344216;
    out.merged.connected_now = 100;
    out.merged.in_flight = 84;
    for (int i = 0; i < 1000; ++i) out.merged.latency.record(150000 + 1000 * static_cast<std::uint64_t>(i));
    for (int i = 0; i < 100; ++i) out.merged.connect_latency.record(7900000);
    const double times[] = {1.0003, 2.0007, 3.0011, 3.6887};
    const char* phases[] = {"warmup", "measure", "measure", "measure"};
    const double intervals[] = {1.0003, 1.0004, 1.0004, 0.6876};
    for (int i = 0; i < 4; ++i) {
      bench::sample s;
      s.t_s = times[i];
      s.phase = phases[i];
      s.interval_s = intervals[i];
      s.delta.received = static_cast<std::uint64_t>(500000 * intervals[i]);
      s.connected = 100;
      s.p50_ns = 190000, s.p90_ns = 320000, s.p99_ns = 4014000, s.max_ns = 5923000;
      out.timeline.push_back(s);
    }
  }
};

}  // namespace

TEST_CASE("bench report: axis labels fit, ticks are distinct and increasing, the table is for people") {
  const canned c;
  const auto summary = bench_summary(c.opts, {"http://127.0.0.1:3000"}, c.out, 1);
  const std::string html = bench_report_html(summary, c.out.timeline);
  CAPTURE(html);

  // y labels: short numbers, SI from 1000 up ("600k", not "600000 msg/s" cut at the left edge).
  const auto ylabels = matches(html, "class='a y' text-anchor='end'>([^<]*)<");
  REQUIRE(ylabels.size() >= 3 * 3);
  for (const auto& l : ylabels) {
    CAPTURE(l);
    CHECK(std::regex_match(l, std::regex("[0-9]+(\\.[0-9]+)?[kMG]?")));
    CHECK(l.size() <= 5);
  }
  CHECK(std::vector<std::string>(ylabels.begin(), ylabels.begin() + 4) ==
        std::vector<std::string>{"0", "200k", "400k", "600k"});

  // x labels: per chart, distinct and increasing (not "1 s 1 s 2 s 2 s").
  const auto xlabels = matches(html, "class='a x' text-anchor='middle'>([^<]*) s<");
  REQUIRE(xlabels.size() % 3 == 0);
  const std::vector<std::string> first(xlabels.begin(), xlabels.begin() + static_cast<long>(xlabels.size() / 3));
  CHECK(first == std::vector<std::string>{"0", "1", "2", "3", "4"});
  for (std::size_t i = 1; i < first.size(); ++i) CHECK(std::stod(first[i]) > std::stod(first[i - 1]));

  // One spelling of the unit.
  CHECK(html.find("msgs/s") == std::string::npos);
  CHECK(html.find("Throughput (msg/s)") != std::string::npos);

  // The table: no JSON quoting, no float noise, grouped digits, units.
  const auto table = html.substr(html.find("<table>"));
  CHECK(table.find("&quot;") == std::string::npos);
  CHECK(table.find('"') == std::string::npos);
  CHECK_FALSE(std::regex_search(table, std::regex("[0-9]\\.[0-9]{4,}")));
  CHECK(table.find("<tr><th>Scenario</th><td>echo (websocket)</td></tr>") != std::string::npos);
  CHECK(table.find("<tr><th>Measured window</th><td>2.69 s</td></tr>") != std::string::npos);
  CHECK(table.find("<tr><th>Messages</th><td>1,344,300 sent, 1,344,216 received, 84 in flight at the end</td></tr>") !=
        std::string::npos);
  CHECK(table.find("<tr><th>Throughput</th><td>500,000 msg/s</td></tr>") != std::string::npos);
  CHECK(table.find("<tr><th>Generator CPU</th><td>2.64 s, 98 % of 1 core; 510,081 msg per CPU second</td></tr>") !=
        std::string::npos);
  CHECK(table.find("<tr><th>Interrupted</th><td>no</td></tr>") != std::string::npos);
}

TEST_CASE("bench report: an empty timeline still draws sane axes") {
  canned c;
  c.out.timeline.clear();
  const auto summary = bench_summary(c.opts, {"http://127.0.0.1:3000"}, c.out, 1);
  const std::string html = bench_report_html(summary, c.out.timeline);
  CHECK(matches(html, "class='a y' text-anchor='end'>([^<]*)<") ==
        std::vector<std::string>{"0", "1", "0", "1", "0", "1"});
  CHECK(html.find("nan") == std::string::npos);
  CHECK(html.find("inf") == std::string::npos);
}

TEST_CASE("bench report: a 2.2 s run has half-second ticks, each once (was 0 s 0 s 1 s 1 s 2 s 2 s)") {
  canned c;
  c.out.timeline.resize(2);
  c.out.timeline[1].t_s = 2.2;
  const auto summary = bench_summary(c.opts, {"http://127.0.0.1:3000"}, c.out, 1);
  const auto xlabels = matches(bench_report_html(summary, c.out.timeline), "class='a x' text-anchor='middle'>([^<]*)<");
  REQUIRE(xlabels.size() == 3 * 6);
  CHECK(std::vector<std::string>(xlabels.begin(), xlabels.begin() + 6) ==
        std::vector<std::string>{"0.0 s", "0.5 s", "1.0 s", "1.5 s", "2.0 s", "2.5 s"});
}

TEST_CASE("bench summary: the generator's CPU share") {
  const canned c;
  const auto s = bench_summary(c.opts, {"http://127.0.0.1:3000"}, c.out, 1);
  CHECK(s["generator_cores"] == 1);
  CHECK(s["generator_cpu_percent"].get<double>() == doctest::Approx(98.0));
  CHECK(bench_summary_text(s).find("generator   2.64 CPU s (98 % of 1 core), 510081 msg per CPU second\n") !=
        std::string::npos);
  CHECK(bench_summary_text(s).find("messages    1344300 sent, 1344216 received, 500000 msg/s\n") != std::string::npos);
}

TEST_CASE("bench progress: fits the width, dropping the least useful fields first") {
  bench::sample s;
  s.t_s = 12.04;
  s.phase = "measure";
  s.interval_s = 1;
  s.delta.received = 48213;
  s.connected = 1000;
  s.p50_ns = 410000, s.p99_ns = 2100000, s.max_ns = 9800000;
  const progress_context echo{"echo", 1000};
  CHECK(progress_line(echo, s, 0) ==
        "sio bench echo 12s measure  48.2k msg/s  p50 0.41 p99 2.1 max 9.8 ms  conns 1000/1000  errors 0");
  CHECK(progress_line(echo, s, 79) == "sio bench echo 12s measure  48.2k msg/s  p99 2.1 ms  conns 1000/1000  errors 0");
  CHECK(progress_line(echo, s, 60) == "sio bench echo 12s measure  48.2k msg/s  p99 2.1 ms");
  CHECK(progress_line(echo, s, 39) == "sio bench echo 12s measure  48.2k msg/s");
  CHECK(progress_line(echo, s, 20) == "sio bench echo 12s m");
  for (std::size_t width = 1; width < 120; ++width) CHECK(progress_line(echo, s, width).size() <= width);

  // Slow, large and in the connect storm: still within 79.
  s.t_s = 3600, s.delta.received = 123456789, s.p50_ns = 1234567890, s.p99_ns = 9876543210, s.max_ns = 99999999999;
  s.connected = 123456;
  s.delta.errors = 12345;
  for (const auto& c : {progress_context{"broadcast", 123456}, progress_context{"connect", 0}}) {
    CAPTURE(c.scenario);
    const auto line = progress_line(c, s, 79);
    CAPTURE(line);
    CHECK(line.size() <= 79);
    CHECK(line.starts_with("sio bench " + c.scenario + " 3600s measure  123M "));
  }
  CHECK(progress_line({"connect", 0}, s, 0).find("connects/s") != std::string::npos);
  CHECK(progress_line({"connect", 0}, s, 0).find("open 123456") != std::string::npos);
}

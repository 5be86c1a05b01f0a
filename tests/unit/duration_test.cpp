// Durations on the command line (cmd/duration.hpp): the syntax, the bare unit, the flag's errors.
#include <doctest/doctest.h>

#include <CLI/CLI.hpp>

#include "cmd/duration.hpp"

using sio::cmd::bare_unit;
using sio::cmd::parse_duration;
using sio::cmd::seconds_f;

TEST_CASE("duration: units, fractions and the bare unit") {
  struct row {
    const char* text;
    bare_unit bare;
    double seconds;
  };
  const row rows[] = {
      {"500ms", bare_unit::seconds, 0.5},    {"5s", bare_unit::seconds, 5},      {"2m", bare_unit::seconds, 120},
      {"1h", bare_unit::seconds, 3600},      {"1.5s", bare_unit::seconds, 1.5},  {".5s", bare_unit::seconds, 0.5},
      {"5", bare_unit::seconds, 5},          {"0.4", bare_unit::seconds, 0.4},   {"0", bare_unit::seconds, 0},
      {"300", bare_unit::milliseconds, 0.3}, {"2s", bare_unit::milliseconds, 2}, {"1.", bare_unit::seconds, 1},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto d = parse_duration(r.text, r.bare);
    REQUIRE(d);
    CHECK(d->count() == doctest::Approx(r.seconds));
  }
}

TEST_CASE("duration: what is not a duration") {
  for (const char* text : {"", "5x", "s", "ms", "-1", "+1", "1e3", "5 s", " 5", "5s ", "1.2.3", "inf", "nan", "5S",
                           "5sec", "1m30s", "."}) {
    CAPTURE(text);
    CHECK_FALSE(parse_duration(text));
  }
}

TEST_CASE("duration: defaults are shown in their shortest exact form") {
  CHECK(sio::cmd::format_duration(seconds_f(10)) == "10s");
  CHECK(sio::cmd::format_duration(seconds_f(0.5)) == "500ms");
  CHECK(sio::cmd::format_duration(seconds_f(1.5)) == "1.5s");
  CHECK(sio::cmd::format_duration(seconds_f(120)) == "2m");
  CHECK(sio::cmd::format_duration(seconds_f(7200)) == "2h");
  CHECK(sio::cmd::format_duration(seconds_f(0)) == "0s");
  CHECK(sio::cmd::to_ms(seconds_f(0.0004)).count() == 1);  // positive stays positive
  CHECK(sio::cmd::to_ms(seconds_f(25)).count() == 25000);
}

namespace {

// Parses `value` for a flag added by add_duration_option; returns the error, or "" and sets `out`.
std::string parse_flag(const std::string& value, seconds_f& out, bare_unit bare = bare_unit::seconds,
                       bool allow_zero = false) {
  CLI::App app;
  sio::cmd::add_duration_option(&app, "-d,--duration", out, "how long", bare, allow_zero);
  try {
    app.parse(std::vector<std::string>{value, "-d"});  // CLI11 takes the arguments reversed
    return "";
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("duration: the flag sets its target and names itself in one-line errors") {
  seconds_f d(10);
  CHECK(parse_flag("1.5s", d) == "");
  CHECK(d.count() == doctest::Approx(1.5));
  CHECK(parse_flag("250", d, bare_unit::milliseconds) == "");
  CHECK(d.count() == doctest::Approx(0.25));
  CHECK(parse_flag("0", d, bare_unit::seconds, true) == "");
  CHECK(d.count() == 0);
  CHECK(parse_flag("5x", d) == "--duration: invalid duration \"5x\" (use e.g. 500ms, 5s, 2m)");
  CHECK(parse_flag("0", d) == "--duration: must be more than 0 (e.g. 500ms, 5s, 2m)");
  CHECK(parse_flag("0ms", d) == "--duration: must be more than 0 (e.g. 500ms, 5s, 2m)");
  CHECK(parse_flag("99999999999", d) == "--duration: \"99999999999\" is too long");
}

TEST_CASE("duration: --help shows the type and the default") {
  seconds_f d(10);
  CLI::App app;
  sio::cmd::add_duration_option(&app, "--timeout", d, "give up");
  const std::string help = app.help();
  CHECK(help.find("DURATION") != std::string::npos);
  CHECK(help.find("10s") != std::string::npos);
}

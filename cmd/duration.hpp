#pragma once
// Durations on the command line, one syntax for every flag: a number and a unit (500ms, 1.5s,
// 2m, 1h), or a bare number in the flag's documented unit (seconds, unless the flag says
// milliseconds). One parser, one error line.
#include <CLI/CLI.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sio::cmd {

using seconds_f = std::chrono::duration<double>;

enum class bare_unit { seconds, milliseconds };

// nullopt when `text` is not a duration: empty, a sign, an exponent, an unknown unit, spaces.
std::optional<seconds_f> parse_duration(std::string_view text, bare_unit bare = bare_unit::seconds);

// The shortest exact spelling, for defaults and messages: "10s", "500ms", "1.5s", "2m".
std::string format_duration(seconds_f d);

// Whole milliseconds, rounded up, so that a positive duration never becomes 0.
std::chrono::milliseconds to_ms(seconds_f d);

// Adds a duration flag that writes `target` and shows its current value as the default.
// `allow_zero`: 0 is accepted (the flag documents what it means). A bad value is a usage error:
// `--timeout: invalid duration "5x" (use e.g. 500ms, 5s, 2m)`.
CLI::Option* add_duration_option(CLI::App* cmd, const std::string& names, seconds_f& target,
                                 const std::string& description, bare_unit bare = bare_unit::seconds,
                                 bool allow_zero = false);

}  // namespace sio::cmd

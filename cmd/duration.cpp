#include "cmd/duration.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace sio::cmd {

namespace {

constexpr double longest_s = 1e9;  // about 31 years: beyond any timer, and far from overflow

// The long name of "-d,--duration" (what messages call the flag).
std::string flag_name(const std::string& names) {
  const auto at = names.find("--");
  return at == std::string::npos ? names : names.substr(at, names.find(',', at) - at);
}

}  // namespace

std::optional<seconds_f> parse_duration(std::string_view text, bare_unit bare) {
  std::size_t i = 0;
  bool digits = false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, digits = true;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, digits = true;
  }
  if (!digits) return std::nullopt;
  double value = 0;
  const std::string number(text.substr(0, i));  // from_chars wants a digit before a lone '.'
  const std::string padded = number.front() == '.' ? "0" + number : number;
  if (std::from_chars(padded.data(), padded.data() + padded.size(), value, std::chars_format::fixed).ec != std::errc{})
    return std::nullopt;
  const std::string_view unit = text.substr(i);
  double scale = 0;
  if (unit.empty())
    scale = bare == bare_unit::seconds ? 1 : 1e-3;
  else if (unit == "ms")
    scale = 1e-3;
  else if (unit == "s")
    scale = 1;
  else if (unit == "m")
    scale = 60;
  else if (unit == "h")
    scale = 3600;
  else
    return std::nullopt;
  return seconds_f(value * scale);
}

std::string format_duration(seconds_f d) {
  const double s = d.count();
  if (s == 0) return "0s";
  if (s >= 60 && std::fmod(s, 3600) == 0) return fmt::format("{}h", s / 3600);
  if (s >= 60 && std::fmod(s, 60) == 0) return fmt::format("{}m", s / 60);
  if (s < 1) return fmt::format("{}ms", std::round(s * 1e6) / 1e3);
  return fmt::format("{}s", s);
}

std::chrono::milliseconds to_ms(seconds_f d) { return std::chrono::ceil<std::chrono::milliseconds>(d); }

CLI::Option* add_duration_option(CLI::App* cmd, const std::string& names, seconds_f& target,
                                 const std::string& description, bare_unit bare, bool allow_zero) {
  const std::string flag = flag_name(names);
  auto* option = cmd->add_option_function<std::string>(
      names,
      [&target, bare, allow_zero, flag](const std::string& text) {
        const auto d = parse_duration(text, bare);
        if (!d) throw CLI::ValidationError(flag, fmt::format("invalid duration \"{}\" (use e.g. 500ms, 5s, 2m)", text));
        if (d->count() == 0 && !allow_zero)
          throw CLI::ValidationError(flag, "must be more than 0 (e.g. 500ms, 5s, 2m)");
        if (d->count() > longest_s) throw CLI::ValidationError(flag, fmt::format("\"{}\" is too long", text));
        target = *d;
      },
      description);
  return option->type_name("DURATION")->default_str(format_duration(target));
}

}  // namespace sio::cmd

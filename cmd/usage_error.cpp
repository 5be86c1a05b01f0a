#include "cmd/usage_error.hpp"

#include <fmt/format.h>

#include "cmd/exit_codes.hpp"
#include "cmd/suggest.hpp"

namespace sio::cmd {

namespace {

const CLI::App* parsed_subcommand(const CLI::App& app) {
  const auto subs = app.get_subcommands();
  return subs.empty() ? nullptr : subs.front();
}

// The flags --help lists (hidden aliases are not suggested).
std::vector<std::string> visible_flags(const CLI::App& app) {
  std::vector<std::string> out;
  for (const auto* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;
    for (const auto& l : opt->get_lnames()) out.push_back("--" + l);
    for (const auto& s : opt->get_snames()) out.push_back("-" + s);
  }
  return out;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) out.push_back(sub->get_name());
  return out;
}

// What is wrong with the first left-over argument: an unknown flag or subcommand, with a
// suggestion, or an argument too many.
std::string explain_extra(const CLI::App& app, const CLI::App* sub, const std::string& arg) {
  const CLI::App& where = sub ? *sub : app;
  if (arg.starts_with("-")) {
    const std::string flag = arg.substr(0, arg.find('='));
    const auto near = nearest(flag, visible_flags(where));
    return fmt::format("unknown flag {}{}", flag, near ? fmt::format("; did you mean {}?", *near) : "");
  }
  if (!sub) {
    const auto near = nearest(arg, subcommand_names(app));
    return fmt::format("unknown subcommand '{}'{}", arg, near ? fmt::format("; did you mean '{}'?", *near) : "");
  }
  return fmt::format("unexpected argument '{}'", arg);
}

}  // namespace

std::string program_name(const CLI::App& app) {
  const auto* sub = parsed_subcommand(app);
  return sub ? "sio " + sub->get_name() : "sio";
}

std::string usage_message(const CLI::App& app, const CLI::Error& e) {
  const auto* sub = parsed_subcommand(app);
  const std::string prog = program_name(app);
  const std::string hint = fmt::format(" (try '{} --help')", prog);
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    auto extras = sub ? sub->remaining() : std::vector<std::string>{};
    if (extras.empty()) extras = app.remaining();
    if (!extras.empty()) return fmt::format("{}: {}{}", prog, explain_extra(app, sub, extras.front()), hint);
  }
  // A bad value names its flag and says how to write it: no hint needed.
  if (dynamic_cast<const CLI::ValidationError*>(&e)) return fmt::format("{}: {}", prog, one_line(e.what()));
  return fmt::format("{}: {}{}", prog, one_line(e.what()), hint);
}

}  // namespace sio::cmd

#include "cmd/arg_flags.hpp"

#include "cmd/bracket_args.hpp"

namespace sio::cmd {

std::vector<arg_text> args_in_order(const CLI::App& cmd, const std::vector<arg_option>& options) {
  struct source {
    const CLI::Option* option;
    const arg_option* spec;
    std::size_t next = 0;
  };
  std::vector<source> sources;
  for (const auto& o : options) sources.push_back({cmd.get_option(o.name), &o});
  std::vector<arg_text> out;
  // One parse-order entry per value: these options take one value per occurrence.
  for (const CLI::Option* parsed : cmd.parse_order()) {
    for (auto& s : sources) {
      if (s.option != parsed || s.next >= s.option->results().size()) continue;
      const std::string flag = s.option->get_positional() ? "ARG" : s.spec->name;
      out.push_back({s.spec->form, std::string(unprotect_brackets(s.option->results()[s.next++])), flag});
    }
  }
  return out;
}

event_args parse_cli_args(const std::vector<arg_text>& args, arg_input& input) {
  event_args out;
  for (const auto& a : args) {
    try {
      add_arg(out, a, input);
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError(a.flag, e.what());
    }
  }
  return out;
}

}  // namespace sio::cmd

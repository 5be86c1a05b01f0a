#pragma once
// Event arguments given on the command line in several forms (a bare ARG, --arg, --json-arg,
// --file-arg; --ack-with and its explicit forms) are the event's arguments in the order they were
// written, whatever their form: CLI11 keeps each option's values apart, so the order is read back
// from the parse order.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cmd/event_args.hpp"

namespace sio::cmd {

struct arg_option {
  std::string name;  // a flag ("--arg") or a positional's name ("args")
  arg_form form;
};

// The values of `options`, interleaved as on the command line. Call after parsing.
std::vector<arg_text> args_in_order(const CLI::App& cmd, const std::vector<arg_option>& options);

// add_arg() for each, a bad argument a CLI::ValidationError naming its flag (exit 2).
event_args parse_cli_args(const std::vector<arg_text>& args, arg_input& input);

}  // namespace sio::cmd

#pragma once
// Usage errors as one line that names the subcommand, says what is wrong, suggests the nearest
// flag or subcommand for a typo, and points to the subcommand's own --help:
//   sio emit: unknown flag --tiemout; did you mean --timeout? (try 'sio emit --help')
#include <CLI/CLI.hpp>

#include <string>

namespace sio::cmd {

// "sio" or "sio emit": the parsed subcommand, if any.
std::string program_name(const CLI::App& app);

std::string usage_message(const CLI::App& app, const CLI::Error& e);

}  // namespace sio::cmd

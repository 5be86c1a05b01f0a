// The sio command: parses the command line and runs one subcommand. This is the only place
// that catches exceptions; exit codes: 0 success, 1 runtime failure, 2 usage, 130 interrupted.
#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string_view>
#include <utility>

#include "cmd/bracket_args.hpp"
#include "cmd/exit_codes.hpp"
#include "cmd/subcommand.hpp"
#include "cmd/usage_error.hpp"

namespace {

using register_fn = void (*)(CLI::App&, sio::cmd::runner&);
constexpr std::pair<std::string_view, register_fn> subcommands[] = {
    {"serve", sio::cmd::register_serve},     {"emit", sio::cmd::register_emit},   {"listen", sio::cmd::register_listen},
    {"connect", sio::cmd::register_connect}, {"bench", sio::cmd::register_bench},
};

// Only the subcommand named first is built when there is one: each registers dozens of options, and
// a one-shot `sio emit` is measured in kilobytes (issue 12: <= 5 MiB peak RSS). Anything else (no
// subcommand, --help, a typo to suggest a name for) gets them all.
void register_subcommands(CLI::App& app, sio::cmd::runner& run, std::string_view first) {
  for (const auto& [name, add] : subcommands)
    if (name == first) return add(app, run);
  for (const auto& [name, add] : subcommands) add(app, run);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sio: a command-line toolkit for Socket.IO (Engine.IO v4, Socket.IO v5)", "sio"};
  app.set_version_flag("-V,--version", "sio " SIO_VERSION, "Print the version and exit");
  app.set_help_flag("-h,--help", "Print this help and exit");
  app.require_subcommand(0, 1);
  sio::cmd::runner run;
  register_subcommands(app, run, argc > 1 ? std::string_view(argv[1]) : std::string_view());
  app.footer(R"(Examples:
  sio serve                       run an echo server on http://127.0.0.1:3000
  sio serve --port 0 --json       any free port, events as NDJSON on stdout
  sio emit http://127.0.0.1:3000 chat hi --ack      emit, wait for the ack
  sio listen http://127.0.0.1:3000 --json           print events as NDJSON
  sio bench http://127.0.0.1:3000 -c 100 -d 10s    load test: msg/s, latency
  sio serve --help                the options of one subcommand

Durations take a unit: 500ms, 5s, 2m; a bare number is seconds unless the flag says ms.
Exit codes: 0 success, 1 runtime failure, 2 usage error, 130 interrupted.
See sio(1) for details.)");

  try {
    auto args = sio::cmd::protect_brackets(argc, argv);
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "{}\n", sio::cmd::usage_message(app, e));
    return sio::cmd::exit_usage;
  }

  try {
    if (!run) {
      fmt::print(stderr, "{}", app.help());
      return sio::cmd::exit_usage;
    }
    return run();
  } catch (const CLI::Error& e) {  // a bad value found while setting up (a URL, a file)
    fmt::print(stderr, "{}\n", sio::cmd::usage_message(app, e));
    return sio::cmd::exit_usage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\n", sio::cmd::program_name(app), sio::cmd::one_line(e.what()));
    return sio::cmd::exit_failure;
  }
}

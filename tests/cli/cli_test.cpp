// The built binary: help, version, usage errors and their exit codes.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "tests/support/process.hpp"

using sio::test::run_process;

namespace {

// The whole of stderr must be this one line; stdout must be empty.
void check_one_line_error(const sio::test::process_result& r, int code, const std::string& line) {
  CHECK(r.exit_code == code);
  CHECK(r.out.empty());
  CHECK(r.err == line + "\n");
}

}  // namespace

TEST_CASE("cli: --version prints the version and exits 0") {
  for (const char* flag : {"--version", "-V"}) {
    auto r = run_process({SIO_BINARY, flag});
    CHECK(r.exit_code == 0);
    CHECK(r.out.starts_with("sio "));
    CHECK(r.err.empty());
  }
}

TEST_CASE("cli: --help shows usage, examples and exit codes on stdout") {
  for (const char* flag : {"--help", "-h"}) {
    auto r = run_process({SIO_BINARY, flag});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage:") != std::string::npos);
    CHECK(r.out.find("Examples:") != std::string::npos);
    CHECK(r.out.find("Exit codes:") != std::string::npos);
  }
}

TEST_CASE("cli: unknown flags and subcommands exit 2 with a one-line hint on stderr") {
  for (auto args : {std::vector<std::string>{SIO_BINARY, "--bogus"}, std::vector<std::string>{SIO_BINARY, "frobnicate"},
                    std::vector<std::string>{SIO_BINARY, "-Z"}}) {
    CAPTURE(args[1]);
    auto r = run_process(args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(args[1]) != std::string::npos);
    CHECK(r.err.find("sio --help") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}

TEST_CASE("cli: no arguments prints usage on stderr and exits 2") {
  auto r = run_process({SIO_BINARY});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("Usage:") != std::string::npos);
}

TEST_CASE("cli: usage errors name the subcommand, suggest the nearest name and point to its --help") {
  check_one_line_error(run_process({SIO_BINARY, "emit", "--tiemout", "5", "http://127.0.0.1:1", "ev"}), 2,
                       "sio emit: unknown flag --tiemout; did you mean --timeout? (try 'sio emit --help')");
  check_one_line_error(run_process({SIO_BINARY, "listen", "http://127.0.0.1:1", "--jsno"}), 2,
                       "sio listen: unknown flag --jsno; did you mean --json? (try 'sio listen --help')");
  check_one_line_error(run_process({SIO_BINARY, "serv"}), 2,
                       "sio: unknown subcommand 'serv'; did you mean 'serve'? (try 'sio --help')");
  check_one_line_error(run_process({SIO_BINARY, "bench", "http://127.0.0.1:1", "--frobnicate"}), 2,
                       "sio bench: unknown flag --frobnicate (try 'sio bench --help')");
  check_one_line_error(run_process({SIO_BINARY, "emit"}), 2, "sio emit: url is required (try 'sio emit --help')");
}


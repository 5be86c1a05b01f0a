// The built binary: help, version, usage errors and their exit codes.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/support/process.hpp"

using sio::test::run_process;

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

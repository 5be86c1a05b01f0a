// The built binary: help, version, usage errors and their exit codes.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "tests/support/process.hpp"

using sio::test::run_process;

namespace {

// A TCP port on 127.0.0.1 that is listening but never answers: connects succeed (the kernel's
// backlog), requests hang, and nothing else can bind the port while it lives.
class silent_listener {
 public:
  silent_listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port_ = ntohs(a.sin_port);
  }
  ~silent_listener() { ::close(fd_); }
  silent_listener(const silent_listener&) = delete;
  silent_listener& operator=(const silent_listener&) = delete;

  unsigned port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  unsigned port_ = 0;
};

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

TEST_CASE("cli: every subcommand's --help shows examples") {
  for (const char* sub : {"serve", "emit", "listen", "connect", "bench"}) {
    CAPTURE(sub);
    auto r = run_process({SIO_BINARY, sub, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Examples:") != std::string::npos);
    CHECK(r.out.find("DURATION") != std::string::npos);
  }
}

TEST_CASE("cli: a bad duration is one readable usage line, for every duration flag") {
  check_one_line_error(run_process({SIO_BINARY, "emit", "http://127.0.0.1:1", "ev", "--timeout", "5x"}), 2,
                       "sio emit: --timeout: invalid duration \"5x\" (use e.g. 500ms, 5s, 2m)");
  check_one_line_error(run_process({SIO_BINARY, "bench", "http://127.0.0.1:1", "-d", "0"}), 2,
                       "sio bench: --duration: must be more than 0 (e.g. 500ms, 5s, 2m)");
  check_one_line_error(run_process({SIO_BINARY, "serve", "--ping-interval", "-5"}), 2,
                       "sio serve: --ping-interval: invalid duration \"-5\" (use e.g. 500ms, 5s, 2m)");
  check_one_line_error(run_process({SIO_BINARY, "connect", "http://127.0.0.1:1", "--ack-timeout", "1e3"}), 2,
                       "sio connect: --ack-timeout: invalid duration \"1e3\" (use e.g. 500ms, 5s, 2m)");
  check_one_line_error(run_process({SIO_BINARY, "listen", "http://127.0.0.1:1", "--reconnect-delay", "1 s"}), 2,
                       "sio listen: --reconnect-delay: invalid duration \"1 s\" (use e.g. 500ms, 5s, 2m)");
}

TEST_CASE("cli: durations take units, and a bare --timeout is seconds") {
  silent_listener server;  // the handshake never completes: only the timeout ends the run
  for (auto [value, shown] : {std::pair{"300ms", "300ms"}, std::pair{"0.3", "300ms"}, std::pair{".3s", "300ms"}}) {
    CAPTURE(value);
    auto r = run_process({SIO_BINARY, "listen", server.url(), "--timeout", value});
    check_one_line_error(r, 1, std::string("sio listen: timed out after ") + shown);
  }
  auto r = run_process({SIO_BINARY, "emit", server.url(), "ev", "--timeout", "0.2s", "-q"});
  check_one_line_error(r, 1, "sio emit: timed out after 200ms");
}

TEST_CASE("cli: --timeout 0 means no timeout, not a usage error") {
  unsigned port = 0;
  {
    silent_listener gone;  // a port nothing listens on once this closes
    port = gone.port();
  }
  auto r = run_process({SIO_BINARY, "emit", "http://127.0.0.1:" + std::to_string(port), "ev", "--timeout", "0"});
  CHECK(r.exit_code == 1);  // refused at once: the value was accepted
  CHECK(r.err.find("refused") != std::string::npos);
}

TEST_CASE("cli: emitter-only flags without --redis are usage errors, not silently ignored") {
  const std::string why =
      "needs --redis (emitter mode); a client's emit goes to its server, which decides who "
      "receives it";
  for (auto [flag, value] :
       {std::pair{"--to", "room1"}, std::pair{"--except", "room2"}, std::pair{"--redis-key", "k"}}) {
    CAPTURE(flag);
    check_one_line_error(run_process({SIO_BINARY, "emit", "http://127.0.0.1:1", "news", "1", flag, value}), 2,
                         std::string("sio emit: ") + flag + ": " + why);
  }
  check_one_line_error(run_process({SIO_BINARY, "emit", "http://127.0.0.1:1", "news", "--volatile"}), 2,
                       "sio emit: --volatile: " + why);
  for (const char* flag : {"--namespace", "--nsp"}) {
    CAPTURE(flag);
    check_one_line_error(run_process({SIO_BINARY, "emit", "http://127.0.0.1:1", "news", flag, "/admin"}), 2,
                         std::string("sio emit: ") + flag +
                             ": needs --redis (emitter mode); with a server URL the namespace is the URL's path, as "
                             "in http://127.0.0.1:3000/admin");
  }
  check_one_line_error(
      run_process({SIO_BINARY, "emit", "--redis", "redis://127.0.0.1:1", "http://127.0.0.1:3000", "news", "1"}), 2,
      "sio emit: --redis: takes no server URL: the arguments are EVENT [ARG...], and \"http://127.0.0.1:3000\" looks "
      "like a URL");
}

TEST_CASE("cli: sio serve says in one line why it cannot listen") {
  silent_listener taken;
  check_one_line_error(
      run_process({SIO_BINARY, "serve", "--port", std::to_string(taken.port())}), 1,
      "sio serve: cannot listen on 127.0.0.1:" + std::to_string(taken.port()) + ": address already in use");
  auto r = run_process({SIO_BINARY, "serve", "--host", "no-such-host.invalid", "--port", "0"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("sio serve: cannot resolve --host no-such-host.invalid: "));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find(".hpp") == std::string::npos);  // no source locations
  CHECK(r.err.find("[system:") == std::string::npos);
}

#include "tests/support/fake_redis.hpp"

#include <charconv>
#include <optional>

#include "core/common/error.hpp"

namespace sio::test {

namespace {

enum class step_kind { accept, expect, send, hold, drop, expect_close };

// The length of the first whole command in `b`: 0 while incomplete, npos if it is not RESP.
std::size_t command_length(std::string_view b) {
  constexpr auto bad = std::string_view::npos;
  std::size_t pos = 0;
  // "<kind><count>\r\n" at pos; -1 while incomplete, -2 if malformed.
  auto header = [&](char kind) -> long long {
    const auto end = b.find("\r\n", pos);
    if (end == bad) return -1;
    long long n = 0;
    auto [p, ec] = std::from_chars(b.data() + pos + 1, b.data() + end, n);
    if (b[pos] != kind || ec != std::errc{} || p != b.data() + end || n < 0) return -2;
    pos = end + 2;
    return n;
  };
  const long long count = header('*');
  if (count < 0) return count == -1 ? 0 : bad;
  for (long long i = 0; i < count; ++i) {
    if (pos >= b.size()) return 0;
    const long long len = header('$');
    if (len < 0) return len == -1 ? 0 : bad;
    const auto size = static_cast<std::size_t>(len);
    if (b.size() < pos + size + 2) return 0;
    if (b.substr(pos + size, 2) != "\r\n") return bad;
    pos += size + 2;
  }
  return pos;
}

}  // namespace

std::string resp_command(std::initializer_list<std::string_view> args) {
  // Appended piece by piece: "*" + std::to_string(n) trips GCC 12's -Wrestrict at -O3.
  std::string out = "*";
  out += std::to_string(args.size());
  out += "\r\n";
  for (auto a : args) {
    out += '$';
    out += std::to_string(a.size());
    out += "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

struct fake_redis::state {
  struct step {
    step_kind kind;
    std::string bytes;  // expect: the command; send: what to write
  };

  explicit state(net::io_context& io)
      : acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)), client(io), gate(io) {}

  // The client's next command, raw; nullopt when it closed (or sent something that is not RESP).
  awaitable<std::optional<std::string>> read_command() {
    for (;;) {
      const auto n = command_length(buffer);
      if (n == std::string_view::npos) {
        failures.push_back("not a RESP command: " + buffer);
        co_return std::nullopt;
      }
      if (n > 0) {
        std::string command = buffer.substr(0, n);
        buffer.erase(0, n);
        received.push_back(command);
        co_return command;
      }
      char chunk[4096];
      auto [ec, got] = co_await client.async_read_some(net::buffer(chunk), use_tuple);
      if (ec) co_return std::nullopt;
      buffer.append(chunk, got);
    }
  }

  // False when the script cannot go on.
  awaitable<bool> play(const step& s) {
    switch (s.kind) {
      case step_kind::accept: {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec) co_return false;
        client = std::move(socket);
        buffer.clear();
        ++accepted;
        co_return true;
      }
      case step_kind::expect: {
        auto got = co_await read_command();
        if (got == s.bytes) co_return true;
        failures.push_back("expected " + s.bytes + (got ? ", got " + *got : ", but the client went away"));
        co_return false;
      }
      case step_kind::send: {
        auto [ec, n] = co_await net::async_write(client, net::buffer(s.bytes), use_tuple);
        if (ec) failures.push_back("cannot send " + s.bytes + ": " + ec.message());
        co_return !ec;
      }
      case step_kind::hold: {
        holding = true;
        gate.expires_at(net::steady_timer::time_point::max());
        co_await gate.async_wait(use_tuple);  // resume() and shutdown() cancel it
        holding = false;
        co_return !shut;
      }
      case step_kind::drop: {
        error_code ignored;
        client.close(ignored);
        co_return true;
      }
      case step_kind::expect_close: {
        auto got = co_await read_command();
        if (!got) co_return true;
        failures.push_back("expected the client to close, got " + *got);
        co_return false;
      }
    }
    co_return false;
  }

  tcp::acceptor acceptor;
  tcp::socket client;
  net::steady_timer gate;
  std::vector<step> script;
  std::string buffer;  // read from the client, not yet a whole command
  std::vector<std::string> received;
  std::vector<std::string> failures;
  int accepted = 0;
  bool done = false;
  bool holding = false;
  bool shut = false;
};

fake_redis::fake_redis(net::io_context& io) : s_(std::make_shared<state>(io)) {}

fake_redis::~fake_redis() { shutdown(); }

std::uint16_t fake_redis::port() const { return s_->acceptor.local_endpoint().port(); }

fake_redis& fake_redis::accept() {
  s_->script.push_back({step_kind::accept, {}});
  return *this;
}

fake_redis& fake_redis::expect(std::initializer_list<std::string_view> args) {
  s_->script.push_back({step_kind::expect, resp_command(args)});
  return *this;
}

fake_redis& fake_redis::send(std::string bytes) {
  s_->script.push_back({step_kind::send, std::move(bytes)});
  return *this;
}

fake_redis& fake_redis::hold() {
  s_->script.push_back({step_kind::hold, {}});
  return *this;
}

fake_redis& fake_redis::drop() {
  s_->script.push_back({step_kind::drop, {}});
  return *this;
}

fake_redis& fake_redis::expect_close() {
  s_->script.push_back({step_kind::expect_close, {}});
  return *this;
}

void fake_redis::start() {
  auto player = [](std::shared_ptr<state> s) -> awaitable<void> {
    for (const auto& step : s->script)
      if (!co_await s->play(step)) break;
    s->done = true;
    while (!s->shut && s->client.is_open() && co_await s->read_command()) {
      // Past the script: keep the client connected and its commands in received().
    }
  };
  net::co_spawn(s_->acceptor.get_executor(), player(s_), net::detached);
}

void fake_redis::resume() { s_->gate.cancel(); }

void fake_redis::shutdown() {
  s_->shut = true;
  error_code ignored;
  s_->acceptor.close(ignored);
  s_->client.close(ignored);
  s_->gate.cancel();
}

bool fake_redis::done() const { return s_->done; }
bool fake_redis::holding() const { return s_->holding; }
int fake_redis::accepted() const { return s_->accepted; }
const std::vector<std::string>& fake_redis::received() const { return s_->received; }
const std::vector<std::string>& fake_redis::failures() const { return s_->failures; }

bool run_until(net::io_context& io, const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (io.stopped()) io.restart();
    if (io.run_one_until(deadline) == 0) return done();  // out of time, or nothing left to run
  }
  return true;
}

}  // namespace sio::test

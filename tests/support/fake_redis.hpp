#pragma once
// A scripted Redis for testing redis::connection over real TCP. It listens on 127.0.0.1 (a
// port of its own) and plays a script in order: accept a client, expect its next command
// (checked byte for byte), send replies or pushes, hold until the test says go on, drop the
// client. When the script ends it keeps recording whatever the client sends. It runs on the
// test's io_context: drive it with run_until(), never with sleeps.
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/transport/net.hpp"

namespace sio::test {

// A command as a client writes it: a RESP array of bulk strings. Written here rather than
// taken from core/redis, so that a bug in the encoder under test cannot hide.
std::string resp_command(std::initializer_list<std::string_view> args);

class fake_redis {
 public:
  explicit fake_redis(net::io_context& io);
  ~fake_redis();
  fake_redis(const fake_redis&) = delete;
  fake_redis& operator=(const fake_redis&) = delete;

  std::uint16_t port() const;

  // The script, built before start() and played from there.
  fake_redis& accept();                                              // the next client
  fake_redis& expect(std::initializer_list<std::string_view> args);  // its next command, exactly
  fake_redis& send(std::string bytes);                               // a reply or a push, raw RESP
  fake_redis& hold();                                                // until resume()
  fake_redis& drop();                                                // close the client's socket
  fake_redis& expect_close();                                        // the client closes, sending nothing more
  void start();

  void resume();    // lets a hold() go on; wait for holding() first
  void shutdown();  // closes the listener and the client, so nothing of the fake stays pending

  bool done() const;  // the script played to its end, or broke off at a failure
  bool holding() const;
  int accepted() const;
  const std::vector<std::string>& received() const;  // every command read, raw, in order
  const std::vector<std::string>& failures() const;  // what went against the script

 private:
  struct state;
  std::shared_ptr<state> s_;  // shared with the player coroutine, which may outlive this handle
};

// Runs `io` until done() holds, at most `limit`; false when time ran out or the io_context ran
// out of work first.
bool run_until(net::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::seconds(5));

}  // namespace sio::test

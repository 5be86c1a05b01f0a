#pragma once
// A connection that records what the server sends, for testing the layers above Engine.IO
// without I/O. Its timer fires only when the test says so (a fake clock).
#include <functional>
#include <string>
#include <vector>

#include "core/engineio/connection.hpp"

namespace sio::test {

class fake_connection final : public engineio::connection {
 public:
  explicit fake_connection(std::string sid = "eio-sid") : sid_(std::move(sid)) {}

  const std::string& sid() const override { return sid_; }
  std::string_view transport_name() const override { return "websocket"; }
  std::string_view remote_address() const override { return "127.0.0.1"; }
  void send(const engineio::frame& f) override { sent.push_back(f.binary ? "<bin:" + *f.data + ">" : *f.data); }
  void close(std::string_view reason) override {
    if (closed) return;
    closed = true;
    close_reason = reason;
    if (on_close) on_close(reason);
  }
  void set_timer(std::chrono::milliseconds after, std::function<void()> fn) override {
    timer_after = after;
    timer = std::move(fn);
  }
  void cancel_timer() override { timer = nullptr; }
  void fire_timer() {
    if (auto fn = std::move(timer)) fn();
  }

  // Takes what was sent so far.
  std::vector<std::string> take() { return std::exchange(sent, {}); }

  std::vector<std::string> sent;
  bool closed = false;
  std::string close_reason;
  std::function<void()> timer;
  std::chrono::milliseconds timer_after{0};
  std::function<void(std::string_view)> on_close;

 private:
  std::string sid_;
};

}  // namespace sio::test

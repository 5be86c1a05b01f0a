#pragma once
// The seam between the Engine.IO layer and what runs on top of it (the Socket.IO server, or
// the eio-echo app). Nothing here needs Asio, so the Socket.IO server compiles without it.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sio::server {

// One Engine.IO packet ready for the wire. Text: the whole packet with its type digit
// ("42[...]"); binary: the raw message bytes. Shared so that a broadcast is encoded once and
// its buffer queued for every recipient.
struct frame {
  std::shared_ptr<const std::string> data;
  bool binary = false;
};

inline frame text_frame(std::string s) { return {std::make_shared<const std::string>(std::move(s)), false}; }
inline frame binary_frame(std::string s) { return {std::make_shared<const std::string>(std::move(s)), true}; }

// An Engine.IO session as the layer above sees it.
class connection {
 public:
  virtual const std::string& sid() const = 0;
  virtual std::string_view transport_name() const = 0;
  virtual std::string_view remote_address() const = 0;
  virtual void send(const frame& f) = 0;
  // Closes the session; `reason` is reported to the handler's on_close.
  virtual void close(std::string_view reason) = 0;
  // One single-shot timer per connection (the Socket.IO connect timeout); re-arming replaces it.
  virtual void set_timer(std::chrono::milliseconds after, std::function<void()> fn) = 0;
  virtual void cancel_timer() = 0;

 protected:
  ~connection() = default;
};

// What the Engine.IO layer calls. `data` is only valid during the call.
class connection_handler {
 public:
  virtual void on_open(connection& c) = 0;
  virtual void on_message(connection& c, std::string_view data, bool binary) = 0;
  virtual void on_close(connection& c, std::string_view reason) = 0;

 protected:
  ~connection_handler() = default;
};

}  // namespace sio::server

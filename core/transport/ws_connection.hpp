#pragma once
// One WebSocket carrying an Engine.IO session: a read loop, and a single writer draining a
// queue of shared frames (a broadcast's buffer is shared, never copied per recipient).
#include <cstddef>
#include <memory>
#include <string_view>

#include "core/common/net.hpp"
#include "core/server/connection.hpp"

namespace sio::transport {

// Receives what a WebSocket reads; the Engine.IO session implements it.
class ws_listener {
 public:
  virtual void on_ws_message(class ws_connection& ws, std::string_view data, bool binary) = 0;
  virtual void on_ws_closed(class ws_connection& ws) = 0;

 protected:
  ~ws_listener() = default;
};

class ws_connection : public std::enable_shared_from_this<ws_connection> {
 public:
  using stream_type = websocket::stream<beast::tcp_stream>;

  explicit ws_connection(stream_type ws) : ws_(std::move(ws)) {}

  // Reads until the peer goes away, handing each message to the listener.
  awaitable<void> read_loop();

  void set_listener(std::shared_ptr<ws_listener> l) { listener_ = std::move(l); }
  void send(const server::frame& f);
  // Sends what is queued, then a close frame; reads stop.
  void close();
  bool is_open() const { return !closing_ && !failed_; }
  std::size_t buffered_bytes() const { return buffered_; }

 private:
  void write_next();
  void finish_close();

  stream_type ws_;
  beast::flat_buffer buffer_;
  server::frame_queue queue_;
  std::size_t buffered_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool closed_sent_ = false;
  bool failed_ = false;
  std::shared_ptr<ws_listener> listener_;
};

}  // namespace sio::transport

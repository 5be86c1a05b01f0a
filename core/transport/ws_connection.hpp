#pragma once
// One WebSocket over a plain TCP socket, either end (the server's Engine.IO sessions and the
// bench's clients). Lean on purpose:
//  - the read buffer starts small and grows only while messages need it, so an idle
//    connection holds a few hundred bytes;
//  - one recv per readiness: a read that drains the socket makes Asio skip the speculative
//    read next time, and no epoll_ctl is needed to re-arm (async_wait would cost one);
//  - frames sent during one turn of the event loop are coalesced into one write;
//  - no coroutine frame, and no timer until the closing handshake starts.
// Bounded: while more than `max_output` bytes wait to be written (data, and the pongs a peer
// asks for with pings) reading stops, so a peer that does not read cannot grow the queue by
// writing; and once a close is under way the connection is dropped after `close_timeout`
// even if the peer never reads what is queued before the close frame.
// The framing is core/wsframe; the HTTP upgrade happens before a connection is built.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/engineio/connection.hpp"
#include "core/transport/net.hpp"
#include "core/wsframe/frame.hpp"

namespace sio::transport {

class ws_connection;

// Receives what a WebSocket reads; the Engine.IO session (or a bench client) implements it.
class ws_listener {
 public:
  virtual void on_ws_message(ws_connection& ws, std::string_view data, bool binary) = 0;
  // The connection is gone: the peer closed it, it failed, or it broke the protocol.
  virtual void on_ws_closed(ws_connection& ws) = 0;

 protected:
  ~ws_listener() = default;
};

enum class ws_role { server, client };

class ws_connection : public std::enable_shared_from_this<ws_connection>, private wsframe::frame_sink {
 public:
  static constexpr std::size_t default_max_output = 16u << 20;
  static constexpr std::chrono::milliseconds default_close_timeout{5000};

  ws_connection(tcp::socket socket, ws_role role, std::size_t max_message, std::size_t max_output = default_max_output,
                std::chrono::milliseconds close_timeout = default_close_timeout);

  // Starts reading; `leftover` is what was read past the HTTP upgrade, if anything.
  void start(std::string_view leftover = {});

  // The listener is held weakly by nothing: the caller keeps both alive as it sees fit.
  void set_listener(std::shared_ptr<ws_listener> l) { listener_ = std::move(l); }
  void send(const engineio::frame& f) { send(f.binary, *f.data); }
  void send(bool binary, std::string_view payload);
  // Sends what is queued, then a close frame, then closes the socket; reads stop and the
  // listener hears nothing more.
  void close(std::uint16_t code = 1000);
  bool is_open() const { return !closing_ && !failed_; }
  std::size_t buffered_bytes() const { return outbox_.size() + inflight_.size(); }
  // The read buffer's size: small again once a large message is through (for tests).
  std::size_t read_capacity() const { return capacity_; }
  bool reading_paused() const { return read_paused_; }
  tcp::socket& socket() { return socket_; }

 private:
  void read_more(bool filled);
  void on_read(std::size_t n);
  void flush();
  void write_frame(wsframe::opcode op, std::string_view payload);
  void fail();
  void finish();
  // The closing handshake has begun: it gets close_timeout to complete.
  void start_closing();
  void drop();

  // frame_sink
  void on_message(std::string_view data, bool binary) override;
  void on_control(wsframe::opcode op, std::string_view payload) override;

  tcp::socket socket_;
  ws_role role_;
  wsframe::reader reader_;
  std::unique_ptr<char[]> buffer_;  // [0, have_) holds an incomplete frame between reads
  std::size_t capacity_ = 0;
  std::size_t have_ = 0;
  std::string outbox_;    // frames waiting for the next write
  std::string inflight_;  // frames being written
  std::uint64_t mask_state_;
  std::size_t max_output_;
  std::chrono::milliseconds close_timeout_;
  std::unique_ptr<net::steady_timer> close_timer_;  // only while closing
  bool writing_ = false;
  bool read_paused_ = false;  // over max_output: the read resumes once the queue drains
  bool flush_posted_ = false;
  bool closing_ = false;  // close() called or a close frame sent
  bool failed_ = false;
  std::shared_ptr<ws_listener> listener_;
};

}  // namespace sio::transport

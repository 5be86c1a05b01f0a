#pragma once
// The Engine.IO v4 client: long-polling (one GET in flight, one POST in flight), WebSocket,
// and the upgrade between them as socket.io-client does it (probe, pause polling, upgrade).
// Liveness comes from the server's pings: none within pingInterval + pingTimeout is a timeout.
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/client/proxy_config.hpp"
#include "core/client/stream.hpp"
#include "core/client/trace.hpp"
#include "core/client/url.hpp"
#include "core/engineio/connection.hpp"
#include "core/engineio/handshake.hpp"
#include "core/engineio/packet.hpp"
#include "core/engineio/request.hpp"
#include "core/transport/net.hpp"

namespace sio::client {

using frame = engineio::frame;

enum class transport_mode { upgrade, polling, websocket };

using close_callback = std::function<void(std::string_view problem)>;

struct engine_options {
  server_url url;
  std::string path = "/socket.io/";
  transport_mode mode = transport_mode::upgrade;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::pair<std::string, std::string>> query;  // added to every request
  std::shared_ptr<ssl::context> tls;                       // for https/wss URLs
  std::chrono::milliseconds timeout{20000};                // connecting, and each request
  std::shared_ptr<const proxy_config> proxy;               // CONNECT through it; null: direct
  std::shared_ptr<const tracer> trace;                     // -v; null: off
};

class engine_handler {
 public:
  virtual void on_open(const engineio::handshake& h) = 0;
  virtual void on_message(std::string_view data, bool binary) = 0;
  // Called once; `reason` as socket.io-client names it ("transport close", "ping timeout", ...).
  virtual void on_close(std::string_view reason, std::string_view detail) = 0;

 protected:
  ~engine_handler() = default;
};

class engine_client : public std::enable_shared_from_this<engine_client> {
 public:
  engine_client(net::any_io_executor ex, engine_options options, engine_handler& handler);
  ~engine_client();

  void start();
  // `f`: text is a whole Engine.IO packet with its type digit; binary is a message's bytes.
  void send(const frame& f);
  // Client-side close: sends what is queued, then closes (a close packet over polling, the
  // closing handshake over WebSocket). The handler hears nothing more; `done`, if given, hears
  // once whether what was queued reached the server: an empty string when every POST was
  // answered or the server answered the closing handshake, else what went wrong.
  void close(close_callback done = {});
  // Stops reporting to the handler (it is going away).
  void detach() { handler_ = nullptr; }

  bool is_open() const { return state_ == state::open; }
  // The bytes `f` takes on the wire over the transport in use: what the server's maxPayload
  // limits (over polling a binary message goes as 'b' and base64).
  std::size_t wire_size(const frame& f) const;
  std::string_view transport_name() const { return websocket_ ? "websocket" : "polling"; }
  const engineio::handshake& handshake() const { return handshake_; }

 private:
  enum class state { connecting, open, closed };
  struct http_slot {
    std::optional<any_stream> stream;
    beast::flat_buffer buffer;
  };
  class ws_stream;

  awaitable<void> run();
  awaitable<void> run_websocket_only();
  awaitable<void> poll_loop();
  awaitable<void> post_loop();
  awaitable<void> upgrade();
  awaitable<void> ws_read_loop();
  awaitable<void> ws_write_loop();
  awaitable<std::pair<error_code, http::response<http::string_body>>> exchange(http_slot& slot, http::verb verb,
                                                                               std::string body,
                                                                               std::chrono::milliseconds timeout);
  awaitable<std::pair<error_code, std::unique_ptr<ws_stream>>> open_websocket(bool with_sid);
  // Runs `op` unless the client closes first or `limit` passes, then cancels it (nullopt): a
  // stream the client does not hold yet (connecting, a WebSocket handshake or probe) would
  // otherwise keep the event loop busy until its own deadline, long after a timeout or a
  // signal ended the run.
  template <class T>
  awaitable<std::optional<T>> unless_closed(awaitable<T> op, std::chrono::milliseconds limit = no_limit);
  static constexpr std::chrono::milliseconds no_limit = std::chrono::milliseconds::zero();

  std::string target(engineio::transport_kind transport, bool with_sid);
  endpoint_spec endpoint(std::string_view transport) const {
    return {options_.url.host, options_.url.port, options_.tls, options_.proxy, options_.trace.get(), transport};
  }
  void handle_packet(const engineio::packet_view& p);
  void opened(engineio::handshake h);
  void arm_liveness();
  void fail(std::string_view reason, std::string_view detail = {});
  void shutdown_streams();
  void wake_pause_waiter() { pause_timer_.cancel(); }
  void start_posting();
  void start_ws_writing();
  void finish_close_if_drained();
  awaitable<void> close_websocket();
  void websocket_closed(error_code ec);

  net::any_io_executor ex_;
  engine_options options_;
  engine_handler* handler_;
  state state_ = state::connecting;
  engineio::handshake handshake_;
  unsigned request_counter_ = 0;

  http_slot get_slot_;
  http_slot post_slot_;
  std::deque<frame> queue_;  // waiting to be POSTed or written
  bool polling_ = false;     // a GET is in flight
  bool posting_ = false;     // a POST is in flight
  bool pausing_ = false;     // upgrading: no new GET or POST
  std::unique_ptr<ws_stream> websocket_;
  bool ws_writing_ = false;
  bool closing_ = false;     // close() was called: the writer ends the session once drained
  bool delivered_ = false;   // closing: everything queued reached the server
  bool close_sent_ = false;  // the WebSocket closing handshake has begun
  close_callback on_closed_;

  net::steady_timer liveness_timer_;
  net::steady_timer pause_timer_;
  net::steady_timer close_timer_;
  net::steady_timer closed_signal_;  // never expires; fail() cancels it to wake unless_closed()
};

}  // namespace sio::client

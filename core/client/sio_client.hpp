#pragma once
// The Socket.IO v5 client: one Engine.IO connection (the manager) carrying any number of
// namespaces, CONNECT with auth, events, acks with timeouts, and reconnection with backoff
// that reconnects every namespace. Emits made before a namespace is connected are buffered
// and sent once it is, as socket.io-client does.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/client/engine_client.hpp"
#include "core/common/backoff.hpp"
#include "core/socketio/decoder.hpp"
#include "core/socketio/packet.hpp"
#include "core/socketio/parser.hpp"

namespace sio::client {

struct incoming_event {
  std::string nsp;
  std::string name;
  std::string_view name_raw;
  std::vector<std::string_view> args;  // raw JSON, valid during the call
  const std::vector<std::string>& attachments;
  std::optional<std::uint64_t> ack_id;  // the server wants an answer
};

struct ack_result {
  std::string error;  // empty on success: "timeout", "disconnected", ...
  std::string data;   // the ACK payload, a raw JSON array
  std::vector<std::string> attachments;
};
using ack_callback = std::function<void(const ack_result&)>;

struct oversize {
  std::size_t size;   // the largest message of the event, in bytes on the wire
  std::size_t limit;  // the server's maxPayload
};

// What the commands see; every call is optional.
class client_events {
 public:
  virtual void on_connect(const std::string& /*nsp*/, const std::string& /*sid*/) {}
  // `message` is the CONNECT_ERROR message (a string payload is taken as the message, as
  // python-socketio sends it); `data` is its raw "data" member, if any.
  virtual void on_connect_error(const std::string& /*nsp*/, const std::string& /*message*/, std::string_view /*data*/) {
  }
  virtual void on_disconnect(const std::string& /*nsp*/, std::string_view /*reason*/) {}
  virtual void on_event(const incoming_event&) {}
  // The Engine.IO connection failed or closed; `detail` says why in words.
  virtual void on_transport_error(std::string_view /*reason*/, std::string_view /*detail*/) {}
  virtual void on_reconnect_attempt(unsigned /*attempt*/, std::chrono::milliseconds /*delay*/) {}
  virtual void on_reconnect_failed() {}

 protected:
  ~client_events() = default;
};

struct client_options {
  engine_options engine;
  bool reconnection = true;
  bool retry_initial_connect = true;   // also retry when the very first connection fails
  unsigned reconnection_attempts = 0;  // 0: no limit
  backoff_options backoff;
  socketio::decoder_limits limits{10, 64u << 20, 1024, true};
  const socketio::parser* parser = &socketio::json_parser();
};

class sio_client : public engine_handler, public std::enable_shared_from_this<sio_client> {
 public:
  sio_client(net::any_io_executor ex, client_options options, client_events& events);
  ~sio_client();

  // Joins a namespace (CONNECT with `auth`, a JSON object or empty); connects on first use.
  void join(const std::string& nsp, std::string auth = {});
  // Leaves a namespace (DISCONNECT).
  void leave(const std::string& nsp);
  // Emits an event; `args` are raw JSON values whose placeholders index `attachments`. On a
  // connected namespace, an event with a message larger than the server's advertised
  // maxPayload is refused (the server would drop the connection): the sizes come back.
  std::optional<oversize> emit(const std::string& nsp, std::string_view event, const std::vector<std::string>& args,
                               std::vector<std::string> attachments = {}, ack_callback on_ack = {},
                               std::chrono::milliseconds ack_timeout = std::chrono::milliseconds::zero());
  // Answers a server's ack request.
  void ack(const std::string& nsp, std::uint64_t id, const std::vector<std::string>& args,
           std::vector<std::string> attachments = {});
  // Closes everything; no reconnection. Pending acks fail with "client closed". `done`, if
  // given, hears once whether everything sent reached the server (engine_client::close).
  void close(close_callback done = {});

  bool is_connected(const std::string& nsp) const;
  std::size_t pending_acks() const;
  std::string_view transport_name() const { return engine_ ? engine_->transport_name() : "none"; }

  // engine_handler
  void on_open(const engineio::handshake& h) override;
  void on_message(std::string_view data, bool binary) override;
  void on_close(std::string_view reason, std::string_view detail) override;

 private:
  struct pending_ack {
    ack_callback callback;
    std::unique_ptr<net::steady_timer> timer;
  };
  struct nsp_state {
    std::string auth;
    bool connected = false;
    std::string sid;
    std::uint64_t next_id = 0;
    std::vector<socketio::packet> buffer;  // emits made before the CONNECT reply
    std::map<std::uint64_t, pending_ack> acks;
  };

  void open_engine();
  void send_packet(const socketio::packet& p);
  void send_connect(const std::string& nsp, const nsp_state& s);
  void on_packet(socketio::packet& p);
  void fail_acks(nsp_state& s, const std::string& why);
  void expect_ack(const std::string& nsp, std::uint64_t id, ack_callback on_ack, std::chrono::milliseconds timeout);
  std::optional<oversize> too_big(const socketio::outgoing& out) const;
  void schedule_reconnect();

  net::any_io_executor ex_;
  client_options options_;
  client_events& events_;
  std::shared_ptr<engine_client> engine_;
  std::unique_ptr<socketio::packet_decoder> decoder_;
  std::map<std::string, nsp_state> namespaces_;
  backoff backoff_;
  std::mt19937_64 rng_{std::random_device{}()};
  net::steady_timer reconnect_timer_;
  bool closed_ = false;
  bool ever_opened_ = false;
  bool engine_open_ = false;
};

}  // namespace sio::client

#pragma once
// The Socket.IO v5 server on top of Engine.IO connections: namespaces, CONNECT/DISCONNECT,
// events and acks. What to do with events is the app's business (see apps.hpp).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/server/imports.hpp"
#include "core/server/namespace.hpp"
#include "core/server/socket.hpp"
#include "core/socketio/decoder.hpp"

namespace sio::server {

// An event as received: argument texts point into the packet, valid during the call.
struct event_message {
  std::string_view name_raw;  // the JSON literal of the name
  std::string name;
  std::vector<std::string_view> args;
  const std::vector<std::string>& attachments;
  std::optional<std::uint64_t> ack_id;
};

// What the server does with sockets and their events.
class app {
 public:
  virtual void on_connect(socket&) {}
  virtual void on_event(socket&, const event_message&) {}
  virtual void on_disconnect(socket&, std::string_view /*reason*/) {}

 protected:
  ~app() = default;
};

// Sees everything that happens (the serve command prints it); every call is optional.
class observer {
 public:
  virtual void on_connect(const socket&) {}
  virtual void on_disconnect(const socket&, std::string_view /*reason*/) {}
  virtual void on_event(const socket&, const event_message&) {}
  virtual void on_refused(const connection&, std::string_view /*nsp*/, std::string_view /*why*/) {}
  virtual void on_protocol_error(const connection&, std::string_view /*what*/) {}

 protected:
  ~observer() = default;
};

struct sio_options {
  std::chrono::milliseconds connect_timeout{45000};
  std::set<std::string> namespaces;  // empty: any namespace is accepted
  // One connection joins at most this many namespaces at once; more are refused with a
  // CONNECT_ERROR (each costs a socket here and, in a cluster, Redis subscriptions).
  std::size_t max_namespaces_per_client = 100;
  // A namespace name is at most this many bytes; a CONNECT for a longer one closes the
  // connection. Node has no limit; names are paths such as "/chat" or "/tenant-42", and each
  // costs its length in every packet of the namespace and in Redis channel names.
  std::size_t max_namespace_bytes = 256;
  socketio::decoder_limits limits;
  const socketio::parser* parser = &socketio::json_parser();
};

class sio_server final : public connection_handler {
 public:
  sio_server(sio_options options, app& application, observer* watcher = nullptr);
  ~sio_server();

  void on_open(connection& c) override;
  void on_message(connection& c, std::string_view data, bool binary) override;
  void on_close(connection& c, std::string_view reason) override;

  server_namespace* find_namespace(std::string_view name);
  // Set before the first client connects; namespaces report to it.
  void set_adapter(cluster_adapter* a) { adapter_ = a; }
  // Opens a namespace before its first client (when it may be opened), as the reference
  // always has "/": a cluster member then answers for it from the start.
  void open_namespace(const std::string& name) {
    if (namespace_allowed(name)) namespace_for(name);
  }
  // Ends a socket's membership of its namespace (DISCONNECT sent), or closes its whole
  // connection when `close_connection` (as a remote disconnectSockets(true) does).
  void disconnect_socket(socket& s, bool close_connection);
  std::size_t client_count() const { return clients_.size(); }

 private:
  struct client {
    connection& conn;
    std::unique_ptr<socketio::packet_decoder> decoder;
    std::map<std::string, socket*, std::less<>> sockets;  // by namespace
  };

  void on_packet(client& cl, socketio::packet& p);
  void on_connect_packet(client& cl, socketio::packet& p);
  void disconnect(client& cl, socket& s, std::string_view reason);
  bool namespace_allowed(std::string_view name) const;
  server_namespace& namespace_for(const std::string& name);
  // Namespaces made on demand go away with their last socket, so that a client cannot grow
  // the server by visiting names; "/" and the declared ones stay.
  void close_if_unused(const std::string& name);

  sio_options options_;
  app& app_;
  observer* observer_;
  cluster_adapter* adapter_ = nullptr;
  std::unordered_map<connection*, std::unique_ptr<client>> clients_;
  std::unordered_map<std::string, std::unique_ptr<server_namespace>> namespaces_;
};

}  // namespace sio::server

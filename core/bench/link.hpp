#pragma once
// One simulated client's Engine.IO connection, as the bench's Socket.IO layer sees it. Plain
// WebSocket URLs get the lean link (raw frames, coalesced writes, a few hundred bytes per
// connection); polling, the upgrade and TLS go through the full Engine.IO client.
#include <memory>
#include <string_view>

#include "core/bench/options.hpp"

namespace sio::bench {

class link_events {
 public:
  virtual void on_link_open() = 0;
  // An Engine.IO message: a text one without its packet type '4', or a binary one.
  virtual void on_link_message(std::string_view data, bool binary) = 0;
  virtual void on_link_closed(std::string_view reason) = 0;

 protected:
  ~link_events() = default;
};

class link {
 public:
  virtual ~link() = default;
  virtual void start() = 0;
  // Sends one Engine.IO message as engineio::frame holds it: a text one whole, its leading '4'
  // included (the caller builds it in place, so that the hot path copies it once, into the
  // frame), a binary one as its bytes.
  virtual void send_message(std::string_view message, bool binary) = 0;
  // Closes without telling the events.
  virtual void close() = 0;
};

// Everything the links to one server share: where to connect and how. A worker holds one per
// server (the main URL and each --also URL).
struct link_target {
  net::any_io_executor ex;
  const client::engine_options* engine = nullptr;  // this server's URL and the shared settings (full link)
  tcp::endpoint endpoint;                          // resolved once (lean link)
  std::string ws_request_target;
  std::string host_header;
  bool lean = true;  // the lean link applies (see lean_link_applies)
};

std::unique_ptr<link> make_lean_link(const link_target& t, const net::ip::address* source, link_events& events);
std::unique_ptr<link> make_full_link(const link_target& t, link_events& events);

inline bool lean_link_applies(const client::engine_options& e) {
  return e.mode == client::transport_mode::websocket && !e.url.tls;
}

// Every target has the main URL's transport and scheme kind, so one answer holds for all.
inline bool lean_link_applies(const options& o) { return o.lean_link && lean_link_applies(o.engine); }

inline std::unique_ptr<link> make_link(const link_target& t, const net::ip::address* source, link_events& events) {
  return t.lean ? make_lean_link(t, source, events) : make_full_link(t, events);
}

}  // namespace sio::bench

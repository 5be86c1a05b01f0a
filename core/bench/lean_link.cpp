// The lean link: TCP connect (from a chosen source address), the HTTP upgrade written by
// hand, then Engine.IO over transport::ws_connection (raw frames, coalesced writes).
#include <netinet/in.h>

#include <string>

#include "core/bench/link.hpp"
#include "core/transport/ws_connection.hpp"
#include "core/transport/ws_handshake.hpp"

namespace sio::bench {

namespace {

constexpr std::size_t max_response_head = 16 * 1024;

// Lets the kernel pick the port at connect time, per destination: past ~28k connections from
// one source address the ports would otherwise run out.
using bind_address_no_port = net::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>;

// Shared between the link and the connection's callbacks, so that a link destroyed while an
// operation is pending leaves nothing dangling.
struct lean_state : transport::ws_listener, std::enable_shared_from_this<lean_state> {
  lean_state(net::any_io_executor ex, link_events& e) : socket(ex), events(&e) {}

  tcp::socket socket;
  link_events* events;  // null once the link is closed
  std::string key;
  std::string request;
  std::string head;
  std::shared_ptr<transport::ws_connection> ws;

  void failed(std::string_view why) {
    if (auto* e = std::exchange(events, nullptr)) e->on_link_closed(why);
  }

  void on_ws_message(transport::ws_connection& conn, std::string_view data, bool binary) override {
    if (!events || data.empty()) return;
    if (binary) return events->on_link_message(data, true);
    switch (data.front()) {
      case '4': events->on_link_message(data.substr(1), false); break;
      case '2': conn.send(false, "3"); break;
      case '0': events->on_link_open(); break;
      case '1': failed("transport close"); break;
      default: break;  // noop, pong
    }
  }
  void on_ws_closed(transport::ws_connection&) override { failed("transport close"); }
};

class lean_link final : public link {
 public:
  lean_link(const link_target& t, const net::ip::address* source, link_events& events)
      : target_(t), source_(source), state_(std::make_shared<lean_state>(t.ex, events)) {}
  ~lean_link() override { close(); }

  void start() override {
    auto s = state_;
    error_code ec;
    s->socket.open(target_.endpoint.protocol(), ec);
    if (!ec && source_) {
      s->socket.set_option(bind_address_no_port(true), ec);
      s->socket.bind(tcp::endpoint(*source_, 0), ec);
    }
    if (ec) {
      s->failed(ec.message());
      return;
    }
    s->request =
        transport::ws_upgrade_request(target_.host_header, target_.ws_request_target, s->key, target_.engine->headers);
    s->socket.async_connect(target_.endpoint, [s](error_code cec) {
      if (!s->events) return;
      if (cec) return s->failed(cec.message());
      net::async_write(s->socket, net::buffer(s->request), [s](error_code wec, std::size_t) {
        if (!s->events) return;
        if (wec) return s->failed(wec.message());
        std::string().swap(s->request);
        net::async_read_until(
            s->socket, net::dynamic_buffer(s->head, max_response_head), "\r\n\r\n", [s](error_code rec, std::size_t n) {
              if (!s->events) return;
              if (rec) return s->failed(rec.message());
              if (auto bad = transport::check_ws_upgrade_response(std::string_view(s->head).substr(0, n), s->key))
                return s->failed(*bad);
              const std::string leftover = s->head.substr(n);
              std::string().swap(s->head);
              s->ws = std::make_shared<transport::ws_connection>(std::move(s->socket), transport::ws_role::client,
                                                                 std::size_t{64} << 20);
              s->ws->set_listener(s);
              s->ws->start(leftover);
            });
      });
    });
  }

  void send_message(std::string_view message, bool binary) override {
    if (state_->ws) state_->ws->send(binary, message);
  }

  void close() override {
    auto& s = *state_;
    s.events = nullptr;
    if (s.ws) {
      s.ws->close();
      s.ws.reset();
    } else {
      error_code ignored;
      s.socket.close(ignored);
    }
  }

 private:
  const link_target& target_;
  const net::ip::address* source_;
  std::shared_ptr<lean_state> state_;
};

}  // namespace

std::unique_ptr<link> make_lean_link(const link_target& t, const net::ip::address* source, link_events& events) {
  return std::make_unique<lean_link>(t, source, events);
}

}  // namespace sio::bench

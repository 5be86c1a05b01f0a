// The Socket.IO server and its apps, driven by a script of actions over fake Engine.IO
// connections (tests/support/fake_connection.hpp): CONNECTs to namespaces, events with and
// without acks, binary attachments, the room control events, acks for the server's own
// broadcasts, connect timeouts, closes from either side, and raw messages. The first byte picks
// the app (echo or broadcast) and the options; then each action is one byte and its arguments
// (see step()). Checked after every action: what the server sends decodes as Socket.IO, no ack
// id is answered more often than the client asked with it, the server's ack handler runs at most
// once per recipient, and one action sends each client a bounded number of frames. At the end,
// once every client has gone, no socket, room or on-demand namespace is left.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/server/apps.hpp"
#include "core/server/sio_server.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tests/fuzz/fuzz_target.hpp"
#include "tests/support/fake_connection.hpp"

namespace {

namespace srv = sio::server;
namespace sock = sio::socketio;
using sio::test::fake_connection;

constexpr std::size_t max_clients = 6;  // created over the whole input
constexpr std::size_t max_attachments = 3;
// The most one action may send one client: an echoed event and its ack, each with attachments.
constexpr std::size_t max_frames_per_action = 2 * (1 + max_attachments);

const std::string namespaces[] = {"/", "/a", "/b", "/c"};
const std::string event_names[] = {"\"join\"", "\"leave\"", "\"to\"", "\"broadcast\"", "\"message\"", "\"other\"", "7"};
const std::string event_args[] = {
    "\"r1\"", "\"r2\"", "\"message\"", "1", "{\"_placeholder\":true,\"num\":0}", "[{\"_placeholder\":true,\"num\":1}]",
    "null"};
const std::string auths[] = {"", "{\"t\":1}", "[1]", "\"s\""};

sock::decoder_limits server_limits() {
  sock::decoder_limits l;
  l.max_attachments = max_attachments;
  l.max_message_bytes = 4096;
  l.max_json_depth = 16;
  return l;
}

struct client {
  std::unique_ptr<fake_connection> conn;
  std::unique_ptr<sock::packet_decoder> from_client;                       // mirrors the server's decoder
  std::unique_ptr<sock::packet_decoder> from_server;                       // what a real client would decode
  std::map<std::pair<std::string, std::uint64_t>, std::size_t> acks_owed;  // by (nsp, id)
};

std::string prefix(const std::string& nsp) { return nsp == "/" ? "" : nsp + ","; }

class harness {
 public:
  explicit harness(std::uint8_t config)
      : options_(options_for(config)),
        server_(options_, config & 1 ? static_cast<srv::app&>(broadcast_) : static_cast<srv::app&>(echo_)) {}

  void step(sio::fuzz::input& in) {
    switch (in.pick(11)) {
      case 0: return open();
      case 1: return send(in, std::string(in.bytes()), false);
      case 2: return send(in, std::string(in.bytes()), true);
      case 3: return connect(in);
      case 4: return event(in);
      case 5: return client_ack(in);
      case 6: return server_ask(in);
      case 7:
        if (client* c = pick(in)) c->conn->fire_timer();
        return;
      case 8:
        if (client* c = pick(in)) c->conn->close("transport close");
        return;
      case 9: return server_disconnect(in);
      default:
        if (client* c = pick(in)) message(*c, "1" + prefix(namespaces[in.pick(4)]), false);
        return;
    }
  }

  void check_output() {
    for (auto& c : clients_) {
      const auto sent = c.conn->take();
      SIO_FUZZ_ASSERT(sent.size() <= max_frames_per_action);
      for (const auto& f : sent) {
        std::string_view msg = f;
        const bool binary = msg.starts_with("<bin:");
        if (binary) {
          msg = msg.substr(5, msg.size() - 6);
        } else {
          SIO_FUZZ_ASSERT(msg.starts_with('4'));  // an Engine.IO message
          msg.remove_prefix(1);
        }
        auto r = c.from_server->on_message(msg, binary);
        SIO_FUZZ_ASSERT(r.has_value());
        if (!r->has_value()) continue;
        const sock::packet& p = **r;
        if (p.type != sock::packet_type::ack && p.type != sock::packet_type::binary_ack) continue;
        SIO_FUZZ_ASSERT(p.id.has_value());
        auto& owed = c.acks_owed[{p.nsp, *p.id}];
        SIO_FUZZ_ASSERT(owed > 0);
        --owed;
      }
    }
  }

  // Every client goes; nothing may stay behind.
  void finish() {
    for (auto& c : clients_) c.conn->close("transport close");
    check_output();
    SIO_FUZZ_ASSERT(server_.client_count() == 0);
    for (const auto& name : namespaces) {
      const srv::server_namespace* nsp = server_.find_namespace(name);
      if (!nsp) continue;
      SIO_FUZZ_ASSERT(nsp->size() == 0 && nsp->room_names().empty());
      SIO_FUZZ_ASSERT(name == "/" || options_.namespaces.count(name));
    }
  }

 private:
  static srv::sio_options options_for(std::uint8_t config) {
    srv::sio_options o;
    o.limits = server_limits();
    if (config & 2) o.namespaces = {"/", "/a"};
    if (config & 4) o.max_namespaces_per_client = 2;
    return o;
  }

  void open() {
    if (clients_.size() >= max_clients) return;
    client c;
    c.conn = std::make_unique<fake_connection>("c" + std::to_string(clients_.size()));
    c.conn->on_close = [this, raw = c.conn.get()](std::string_view reason) { server_.on_close(*raw, reason); };
    c.from_client = options_.parser->make_decoder(options_.limits);
    sock::decoder_limits loose;
    loose.max_json_depth = options_.limits.max_json_depth + 2;
    c.from_server = options_.parser->make_decoder(loose);
    clients_.push_back(std::move(c));
    server_.on_open(*clients_.back().conn);
  }

  // An open client, or none.
  client* pick(sio::fuzz::input& in) {
    if (clients_.empty()) return nullptr;
    client& c = clients_[in.pick(clients_.size())];
    return c.conn->closed ? nullptr : &c;
  }

  // One Engine.IO message from the client; the ack ids it asks with are counted.
  void message(client& c, std::string_view msg, bool binary) {
    if (c.conn->closed) return;
    auto r = c.from_client->on_message(msg, binary);
    if (!r) {
      c.from_client->reset();
    } else if (r->has_value()) {
      const sock::packet& p = **r;
      if ((p.type == sock::packet_type::event || p.type == sock::packet_type::binary_event) && p.id)
        ++c.acks_owed[{p.nsp, *p.id}];
    }
    server_.on_message(*c.conn, msg, binary);
  }

  void send(sio::fuzz::input& in, const std::string& msg, bool binary) {
    if (client* c = pick(in)) message(*c, msg, binary);
  }

  void connect(sio::fuzz::input& in) {
    client* c = pick(in);
    const std::string& nsp = namespaces[in.pick(4)];
    const std::string& auth = auths[in.pick(4)];
    if (c) message(*c, "0" + prefix(nsp) + auth, false);
  }

  // An EVENT or BINARY_EVENT built from known names and arguments, then its attachments.
  void event(sio::fuzz::input& in) {
    client* c = pick(in);
    const std::string& nsp = namespaces[in.pick(4)];
    std::string data = "[" + event_names[in.pick(std::size(event_names))];
    bool placeholders = false;
    for (std::size_t n = in.pick(4); n > 0; --n) {
      const std::string& arg = event_args[in.pick(std::size(event_args))];
      placeholders = placeholders || arg.find("_placeholder") != std::string::npos;
      data += "," + arg;
    }
    data += "]";
    const std::uint8_t ack = in.byte();
    const std::string id = ack & 1 ? std::to_string(ack >> 1) : "";
    const std::size_t attachments = placeholders ? in.pick(max_attachments + 1) : 0;
    std::vector<std::string> blobs;
    for (std::size_t i = 0; i < attachments; ++i) blobs.emplace_back(in.bytes());
    if (!c) return;
    if (!placeholders) return message(*c, "2" + prefix(nsp) + id + data, false);
    message(*c, "5" + std::to_string(attachments) + "-" + prefix(nsp) + id + data, false);
    for (const auto& b : blobs) message(*c, b, true);
  }

  void client_ack(sio::fuzz::input& in) {
    client* c = pick(in);
    const std::string& nsp = namespaces[in.pick(4)];
    const std::string id = std::to_string(in.pick(8));
    if (c) message(*c, "3" + prefix(nsp) + id + "[\"ok\"]", false);
  }

  // The server asks every socket of a namespace (or of a room) for an ack.
  void server_ask(sio::fuzz::input& in) {
    const std::string& name = namespaces[in.pick(4)];
    const std::string rooms[] = {"r1"};
    const bool to_room = in.byte() & 1;
    srv::server_namespace* nsp = server_.find_namespace(name);
    if (!nsp) return;
    sock::packet p;
    p.type = sock::packet_type::event;
    p.data = "[\"ask\"]";
    // One handler serves every recipient: it may run once for each.
    auto count = std::make_shared<std::pair<std::size_t, std::size_t>>();  // recipients, answers
    auto handler = [count](const sock::packet&) { SIO_FUZZ_ASSERT(++count->second <= count->first); };
    count->first = nsp->broadcast_with_ack(p, to_room ? std::span(rooms) : std::span<const std::string>(), {}, handler);
  }

  // The server ends one client's socket in a namespace, or its whole connection.
  void server_disconnect(sio::fuzz::input& in) {
    client* c = pick(in);
    srv::server_namespace* nsp = server_.find_namespace(namespaces[in.pick(4)]);
    const bool whole_connection = in.byte() & 1;
    if (!c || !nsp) return;
    for (srv::socket* s : nsp->select({}, {})) {
      if (&s->conn() != c->conn.get()) continue;
      server_.disconnect_socket(*s, whole_connection);
      return;
    }
  }

  srv::echo_app echo_;
  srv::broadcast_app broadcast_;
  srv::sio_options options_;
  srv::sio_server server_;
  std::vector<client> clients_;
};

}  // namespace

SIO_FUZZ_TARGET(sio_server) {
  sio::fuzz::input in(data, size);
  harness h(in.byte());
  while (!in.done()) {
    h.step(in);
    h.check_output();
  }
  h.finish();
  return 0;
}

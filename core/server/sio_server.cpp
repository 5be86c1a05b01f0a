#include "core/server/sio_server.hpp"

#include "core/common/json_scan.hpp"
#include "core/common/utf8.hpp"
#include "core/engineio/sid.hpp"

namespace sio::server {

using socketio::packet_type;

namespace {
outgoing connect_error(const socketio::parser& parser, const std::string& nsp, std::string_view message) {
  socketio::packet p;
  p.type = packet_type::connect_error;
  p.nsp = nsp;
  p.data = "{\"message\":" + json::quote(message) + "}";
  return parser.encode(p);
}
}  // namespace

sio_server::sio_server(sio_options options, app& application, observer* watcher)
    : options_(std::move(options)), app_(application), observer_(watcher) {}

sio_server::~sio_server() = default;

bool sio_server::namespace_allowed(std::string_view name) const {
  return options_.namespaces.empty() || options_.namespaces.count(std::string(name)) > 0;
}

server_namespace& sio_server::namespace_for(const std::string& name) {
  auto& slot = namespaces_[name];
  if (!slot) {
    slot = std::make_unique<server_namespace>(name, adapter_, *options_.parser);
    if (adapter_) adapter_->on_namespace(*slot);
  }
  return *slot;
}

server_namespace* sio_server::find_namespace(std::string_view name) {
  auto it = namespaces_.find(std::string(name));
  return it == namespaces_.end() ? nullptr : it->second.get();
}

void sio_server::on_open(connection& c) {
  clients_.emplace(&c, std::make_unique<client>(client{c, options_.parser->make_decoder(options_.limits), {}}));
  // A connection that joins no namespace in time is closed, as the reference does.
  c.set_timer(options_.connect_timeout, [this, &c] {
    auto it = clients_.find(&c);
    if (it != clients_.end() && it->second->sockets.empty()) c.close("connect timeout");
  });
}

void sio_server::on_message(connection& c, std::string_view data, bool binary) {
  auto it = clients_.find(&c);
  if (it == clients_.end()) return;
  client& cl = *it->second;
  auto decoded = cl.decoder->on_message(data, binary);
  if (!decoded) {
    if (observer_) observer_->on_protocol_error(c, decoded.error().message());
    c.close("parse error");
    return;
  }
  if (decoded->has_value()) on_packet(cl, **decoded);
}

void sio_server::on_packet(client& cl, socketio::packet& p) {
  auto found = cl.sockets.find(p.nsp);
  if (p.type == packet_type::connect && found == cl.sockets.end()) return on_connect_packet(cl, p);
  if (found == cl.sockets.end() || p.type == packet_type::connect || p.type == packet_type::connect_error) {
    // A packet for a namespace this client is not in, or a second CONNECT: the reference closes.
    if (observer_) observer_->on_protocol_error(cl.conn, "packet for a namespace the client has not joined");
    cl.conn.close("invalid namespace state");
    return;
  }
  socket& s = *found->second;
  switch (p.type) {
    case packet_type::disconnect: disconnect(cl, s, "client namespace disconnect"); return;
    case packet_type::event:
    case packet_type::binary_event: {
      if (p.data.empty()) return;  // the decoder allows it; there is nothing to dispatch
      auto ev = socketio::split_event(p.data);
      if (!ev) return;
      event_message msg{ev->name_raw, std::move(ev->name), std::move(ev->args), p.attachments, p.id};
      if (observer_) observer_->on_event(s, msg);
      app_.on_event(s, msg);
      return;
    }
    case packet_type::ack:
    case packet_type::binary_ack: s.take_ack(p); return;  // one we never asked for is ignored, as in the reference
    default: return;
  }
}

void sio_server::on_connect_packet(client& cl, socketio::packet& p) {
  // A name that is too long or not UTF-8 is a protocol error: it would go into every reply
  // for the namespace (text frames must be UTF-8) and, in a cluster, into Redis channel names.
  if (p.nsp.size() > options_.max_namespace_bytes || !utf8::valid(p.nsp)) {
    if (observer_) observer_->on_protocol_error(cl.conn, "invalid namespace name");
    cl.conn.close("invalid namespace name");
    return;
  }
  if (!namespace_allowed(p.nsp)) {
    if (observer_) observer_->on_refused(cl.conn, p.nsp, "Invalid namespace");
    send_to(cl.conn, connect_error(*options_.parser, p.nsp, "Invalid namespace"));
    return;
  }
  if (cl.sockets.size() >= options_.max_namespaces_per_client) {
    if (observer_) observer_->on_refused(cl.conn, p.nsp, "Too many namespaces");
    send_to(cl.conn, connect_error(*options_.parser, p.nsp, "Too many namespaces"));
    return;
  }
  server_namespace& nsp = namespace_for(p.nsp);
  socket& s = nsp.add(engineio::generate_sid(), cl.conn, p.data.empty() ? std::string("{}") : std::move(p.data));
  cl.sockets.emplace(nsp.name(), &s);
  cl.conn.cancel_timer();

  socketio::packet reply;
  reply.type = packet_type::connect;
  reply.nsp = nsp.name();
  reply.data = "{\"sid\":" + json::quote(s.id()) + "}";
  s.send(nsp.encode(reply));
  if (observer_) observer_->on_connect(s);
  app_.on_connect(s);
}

void sio_server::disconnect(client& cl, socket& s, std::string_view reason) {
  if (observer_) observer_->on_disconnect(s, reason);
  app_.on_disconnect(s, reason);
  const std::string name = s.nsp().name();
  cl.sockets.erase(name);
  s.nsp().remove(s);  // destroys s
  close_if_unused(name);
}

void sio_server::close_if_unused(const std::string& name) {
  auto it = namespaces_.find(name);
  if (it == namespaces_.end() || it->second->size() > 0 || name == "/" || options_.namespaces.count(name)) return;
  if (adapter_) adapter_->on_namespace_closed(*it->second);
  namespaces_.erase(it);
}

void sio_server::disconnect_socket(socket& s, bool close_connection) {
  auto it = clients_.find(&s.conn());
  if (it == clients_.end()) return;
  if (close_connection) {
    // As the reference's disconnect(true): every namespace of the connection hears DISCONNECT,
    // so the client knows it was the server's doing and does not reconnect.
    for (const auto& [name, member] : it->second->sockets) {
      socketio::packet bye;
      bye.type = packet_type::disconnect;
      bye.nsp = name;
      member->send(member->nsp().encode(bye));
    }
    s.conn().close("server namespace disconnect");
    return;
  }
  socketio::packet bye;
  bye.type = packet_type::disconnect;
  bye.nsp = s.nsp().name();
  s.send(s.nsp().encode(bye));
  disconnect(*it->second, s, "server namespace disconnect");
}

void sio_server::on_close(connection& c, std::string_view reason) {
  auto it = clients_.find(&c);
  if (it == clients_.end()) return;
  client& cl = *it->second;
  while (!cl.sockets.empty()) disconnect(cl, *cl.sockets.begin()->second, reason);
  clients_.erase(it);
}

}  // namespace sio::server

#include "core/redis/adapter.hpp"

#include <random>

#include "core/redis/member_actions.hpp"
#include "core/socketio/outgoing.hpp"

namespace sio::redis {

namespace {

// uid2(6): six URL-safe characters, one per adapter.
std::string make_uid() {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 6; ++i) out.push_back(alphabet[rd() % 64]);
  return out;
}

}  // namespace

adapter::adapter(net::any_io_executor ex, endpoint where, std::string key, server::sio_server& server)
    : member_connections(ex, where, make_uid(), "adapter"), server_(server), channels_(std::move(key)) {}

void adapter::on_namespace(server::server_namespace& nsp) {
  const auto pattern = channels_.broadcast_pattern(nsp.name());
  const auto requests = channels_.request(nsp.name());
  by_pattern_[pattern] = &nsp;
  by_request_[requests] = &nsp;
  sub_->psubscribe(pattern);
  sub_->subscribe(requests);
}

void adapter::on_broadcast(server::server_namespace& nsp, const socketio::packet& p,
                           const server::broadcast_target& t) {
  if (!pub_->is_up()) return;  // Redis is down: the local delivery is all there is
  broadcast_message m;
  m.uid = uid_;
  m.packet = p;
  m.opts.rooms.assign(t.rooms.begin(), t.rooms.end());
  m.opts.except.assign(t.except.begin(), t.except.end());
  if (t.is_volatile) m.opts.flags.is_volatile = true;
  auto bytes = encode_broadcast(m);
  if (!bytes) return;
  pub_->command({"PUBLISH", channels_.broadcast_for(nsp.name(), m.opts.rooms), std::move(*bytes)});
}

void adapter::on_namespace_closed(server::server_namespace& nsp) {
  const auto pattern = channels_.broadcast_pattern(nsp.name());
  const auto requests = channels_.request(nsp.name());
  by_pattern_.erase(pattern);
  by_request_.erase(requests);
  sub_->punsubscribe(pattern);
  sub_->unsubscribe(requests);
}

void adapter::on_redis_message(pubsub_message& m) {
  if (m.from_pattern) {
    auto it = by_pattern_.find(m.pattern);
    if (it == by_pattern_.end()) return;
    auto kind = channels_.match(m.channel, it->second->name());
    if (kind && kind->kind == channel_kind::broadcast) on_remote_broadcast(*it->second, kind->room, m.payload);
    return;
  }
  if (auto it = by_request_.find(m.channel); it != by_request_.end()) on_request(*it->second, m.payload);
}

void adapter::on_remote_broadcast(server::server_namespace& nsp, const std::string& room, std::string_view bytes) {
  auto m = decode_broadcast(bytes);
  if (!m || !is_for(*m, uid_, nsp.name())) return;
  // A single-room channel matters only to members that have the room.
  if (!room.empty() && nsp.select(std::vector<std::string>{room}, {}).empty()) return;
  nsp.broadcast(nsp.encode(m->packet), m->opts.rooms, m->opts.except);
}

void adapter::respond(const std::string& nsp, const response& r) {
  auto bytes = encode_response(r);
  if (bytes && pub_->is_up()) pub_->command({"PUBLISH", channels_.response(nsp), std::move(*bytes)});
}

// Each client's ACK becomes a BROADCAST_ACK response carrying its first argument, as the Node
// adapter's ack callback receives it (none: the key is left out, as `undefined` is). The
// handler may outlive the adapter (it waits in the socket), so it holds the connection weakly.
server::socket::ack_handler adapter::ack_forwarder(server::server_namespace& nsp, std::string request_id) {
  return [pub = std::weak_ptr<connection>(pub_), channel = channels_.response(nsp.name()),
          id = std::move(request_id)](const socketio::packet& ack) {
    auto conn = pub.lock();
    if (!conn || !conn->is_up()) return;
    response r;
    r.type = request_type::broadcast_ack;
    r.request_id = id;
    r.packet = first_ack_argument(ack);
    auto bytes = encode_response(r);
    if (bytes) conn->command({"PUBLISH", channel, std::move(*bytes)});
  };
}

void adapter::on_request(server::server_namespace& nsp, std::string_view bytes) {
  auto decoded = decode_request(bytes);
  if (!decoded) return;
  request& r = *decoded;
  if (r.uid && *r.uid == uid_) return;      // our own
  const std::string nsp_name = nsp.name();  // a disconnect below may close the namespace
  const broadcast_options opts = r.opts.value_or(broadcast_options{});
  response out;
  out.request_id = r.request_id.value_or("");
  switch (r.type) {
    case request_type::sockets: {
      std::vector<std::string> ids;
      for (auto* s : nsp.select(r.rooms.value_or(std::vector<std::string>{}), {})) ids.push_back(s->id());
      out.socket_ids = std::move(ids);
      break;
    }
    case request_type::all_rooms: out.rooms = nsp.room_names(); break;
    case request_type::remote_join:
    case request_type::remote_leave: {
      const bool join = r.type == request_type::remote_join;
      if (r.sid) {  // the legacy single-socket form
        auto* s = nsp.find(*r.sid);
        const std::string room = r.room.value_or("");
        if (s && r.room && join) s->join(room);
        if (s && r.room && !join) s->leave(room);
      } else {
        join_local(nsp, opts, r.rooms.value_or(std::vector<std::string>{}), join);
      }
      break;
    }
    case request_type::remote_disconnect: {
      if (!r.sid) {
        disconnect_local(server_, nsp, opts, r.close.value_or(false));
      } else if (auto* s = nsp.find(*r.sid)) {
        server_.disconnect_socket(*s, r.close.value_or(false));
      }
      break;
    }
    case request_type::remote_fetch: out.sockets = fetch_local(nsp, opts); break;
    case request_type::server_side_emit:
      out.type = request_type::server_side_emit;
      out.data = server_side_emit_answer(r.data.value_or("[]"));
      break;
    case request_type::broadcast: {
      if (!r.packet) return;
      out.type = request_type::broadcast_client_count;
      if (!r.request_id) {  // nobody waits for acks: a plain delivery
        socketio::packet p = *r.packet;
        p.id.reset();
        nsp.broadcast(nsp.encode(p), opts.rooms, opts.except);
        return;
      }
      out.client_count =
          nsp.broadcast_with_ack(*r.packet, opts.rooms, opts.except, ack_forwarder(nsp, *r.request_id), ack_wait(opts));
      break;
    }
    default: return;
  }
  if (r.request_id) respond(nsp_name, out);
}

}  // namespace sio::redis

#include "core/redis/adapter.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <random>

#include "core/common/json_scan.hpp"
#include "core/server/outgoing.hpp"

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

// What Node's RemoteSocket needs of a handshake: every field present, treated as data.
std::string handshake_of(const server::socket& s) {
  using clock = std::chrono::system_clock;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now().time_since_epoch()).count();
  nlohmann::ordered_json h;
  h["headers"] = nlohmann::json::object();
  h["time"] = "";
  h["address"] = std::string(s.conn().remote_address());
  h["xdomain"] = false;
  h["secure"] = false;
  h["issued"] = now;
  h["url"] = "";
  h["query"] = nlohmann::json::object();
  auto auth = nlohmann::ordered_json::parse(s.auth(), nullptr, false);
  h["auth"] = auth.is_discarded() ? nlohmann::ordered_json::object() : auth;
  return h.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> rooms_of(const server::socket& s) { return {s.rooms().begin(), s.rooms().end()}; }

}  // namespace

adapter::adapter(net::any_io_executor ex, endpoint where, std::string key, server::sio_server& server)
    : server_(server),
      channels_(std::move(key)),
      uid_(make_uid()),
      sub_(std::make_shared<connection>(ex, where, static_cast<connection_listener*>(this))),
      pub_(std::make_shared<connection>(ex, where, nullptr)) {}

adapter::~adapter() { stop(); }

void adapter::start() {
  sub_->start();
  pub_->start();
}

void adapter::stop() {
  sub_->stop();
  pub_->stop();
}

void adapter::on_redis_up() {
  std::cerr << "sio serve: redis: connected (adapter uid " << uid_ << ")\n";
  was_up_ = true;
  announced_down_ = false;
}

void adapter::on_redis_down(std::string_view why) {
  if (!was_up_ && announced_down_) return;  // say it once per outage
  was_up_ = false;
  announced_down_ = true;
  std::cerr << "sio serve: redis: " << why << "; serving local clients until it is back\n";
}

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
  nsp.broadcast(server::encode_packet(m->packet), m->opts.rooms, m->opts.except);
}

void adapter::respond(server::server_namespace& nsp, const response& r) {
  auto bytes = encode_response(r);
  if (bytes && pub_->is_up()) pub_->command({"PUBLISH", channels_.response(nsp.name()), std::move(*bytes)});
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
    auto args = json::array_elements(ack.data);
    if (args && !args->empty()) r.packet = payload{std::string((*args)[0]), ack.attachments};
    auto bytes = encode_response(r);
    if (bytes) conn->command({"PUBLISH", channel, std::move(*bytes)});
  };
}

void adapter::on_request(server::server_namespace& nsp, std::string_view bytes) {
  auto decoded = decode_request(bytes);
  if (!decoded) return;
  request& r = *decoded;
  if (r.uid && *r.uid == uid_) return;  // our own
  const broadcast_options opts = r.opts.value_or(broadcast_options{});
  auto selected = [&] { return nsp.select(opts.rooms, opts.except); };
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
      std::vector<server::socket*> targets;
      std::vector<std::string> rooms = r.rooms.value_or(std::vector<std::string>{});
      if (r.sid) {  // the legacy single-socket form
        if (auto* s = nsp.find(*r.sid)) targets.push_back(s);
        if (r.room) rooms = {*r.room};
      } else {
        targets = selected();
      }
      for (auto* s : targets)
        for (const auto& room : rooms) join ? s->join(room) : s->leave(room);
      break;
    }
    case request_type::remote_disconnect: {
      std::vector<server::socket*> targets;
      if (r.sid) {
        if (auto* s = nsp.find(*r.sid)) targets.push_back(s);
      } else {
        targets = selected();
      }
      for (auto* s : targets) server_.disconnect_socket(*s, r.close.value_or(false));
      break;
    }
    case request_type::remote_fetch: {
      std::vector<fetched_socket> sockets;
      for (auto* s : selected()) sockets.push_back({s->id(), handshake_of(*s), rooms_of(*s), {}});
      out.sockets = std::move(sockets);
      break;
    }
    case request_type::server_side_emit: {
      // sio serve has no server-side handlers; like its echo, it acknowledges with the
      // first argument after the event name (null when there is none).
      out.type = request_type::server_side_emit;
      std::string data = "null";
      if (r.data) {
        auto items = json::array_elements(*r.data);
        if (items && items->size() > 1) data = std::string((*items)[1]);
      }
      out.data = std::move(data);
      break;
    }
    case request_type::broadcast: {
      if (!r.packet) return;
      out.type = request_type::broadcast_client_count;
      if (!r.request_id) {  // nobody waits for acks: a plain delivery
        socketio::packet p = *r.packet;
        p.id.reset();
        nsp.broadcast(server::encode_packet(p), opts.rooms, opts.except);
        return;
      }
      out.client_count = nsp.broadcast_with_ack(*r.packet, opts.rooms, opts.except, ack_forwarder(nsp, *r.request_id));
      break;
    }
    default: return;
  }
  if (r.request_id) respond(nsp, out);
}

}  // namespace sio::redis

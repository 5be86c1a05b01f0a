#include "core/redis/sharded_adapter.hpp"

#include <algorithm>
#include <random>

#include "core/redis/member_actions.hpp"
#include "core/socketio/outgoing.hpp"

namespace sio::redis {

namespace {

// randomBytes(8).toString("hex"), as the sharded adapter names its servers.
std::string make_uid() {
  static constexpr char hex[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 16; ++i) out.push_back(hex[rd() % 16]);
  return out;
}

}  // namespace

sharded_adapter::sharded_adapter(net::any_io_executor ex, endpoint where, std::string key, subscription_mode mode,
                                 server::sio_server& server)
    : member_connections(ex, where, make_uid(), "sharded adapter"), server_(server), channels_(std::move(key), mode) {}

void sharded_adapter::listen(const std::string& channel, server::server_namespace& nsp) {
  auto& listeners = by_channel_[channel];
  listeners.push_back(&nsp);
  if (listeners.size() == 1) sub_->ssubscribe(channel);
}

void sharded_adapter::unlisten(const std::string& channel, server::server_namespace& nsp) {
  auto it = by_channel_.find(channel);
  if (it == by_channel_.end()) return;
  auto& listeners = it->second;
  if (auto one = std::find(listeners.begin(), listeners.end(), &nsp); one != listeners.end()) listeners.erase(one);
  if (!listeners.empty()) return;
  by_channel_.erase(it);
  sub_->sunsubscribe(channel);
}

void sharded_adapter::on_namespace(server::server_namespace& nsp) {
  listen(channels_.main(nsp.name()), nsp);
  listen(channels_.responses(nsp.name(), uid_), nsp);
}

void sharded_adapter::on_namespace_closed(server::server_namespace& nsp) {
  unlisten(channels_.main(nsp.name()), nsp);
  unlisten(channels_.responses(nsp.name(), uid_), nsp);
}

// Like Node's adapter: a channel per room that has local members, except the sockets' own rooms
// (unless dynamic-private). A socket's own room is created while the socket is findable.
void sharded_adapter::on_room_created(server::server_namespace& nsp, const std::string& room) {
  if (channels_.subscribes_to_room_channel(nsp.find(room) != nullptr)) listen(channels_.room(nsp.name(), room), nsp);
}

void sharded_adapter::on_room_deleted(server::server_namespace& nsp, const std::string& room) {
  if (channels_.subscribes_to_room_channel(nsp.find(room) != nullptr)) unlisten(channels_.room(nsp.name(), room), nsp);
}

void sharded_adapter::publish(const std::string& channel, const cluster_message& m) {
  if (!pub_->is_up()) return;  // Redis is down: the local delivery is all there is
  auto bytes = encode_cluster_message(m);
  if (bytes) pub_->command({"SPUBLISH", channel, std::move(*bytes)});
}

void sharded_adapter::on_broadcast(server::server_namespace& nsp, const socketio::packet& p,
                                   const server::broadcast_target& t) {
  cluster_message m;
  m.type = cluster_type::broadcast;
  m.uid = uid_;
  m.nsp = nsp.name();
  m.packet = p;
  m.opts.emplace();
  m.opts->rooms.assign(t.rooms.begin(), t.rooms.end());
  m.opts->except.assign(t.except.begin(), t.except.end());
  if (t.is_volatile) m.opts->flags.is_volatile = true;
  publish(channels_.broadcast_for(nsp.name(), m.opts->rooms, false), m);
}

void sharded_adapter::respond(server::server_namespace& nsp, const std::string& asker, cluster_message m) {
  m.uid = uid_;
  m.nsp = nsp.name();
  publish(channels_.responses(nsp.name(), asker), m);
}

void sharded_adapter::on_redis_message(pubsub_message& m) {
  if (!m.from_shard) return;
  auto it = by_channel_.find(m.channel);
  if (it == by_channel_.end()) return;
  auto decoded = decode_cluster_message(m.payload);
  if (!decoded || decoded->uid == uid_) return;
  for (auto* nsp : it->second)
    if (nsp->name() == decoded->nsp) return on_message(*nsp, *decoded);
}

void sharded_adapter::on_message(server::server_namespace& nsp, cluster_message& m) {
  const broadcast_options opts = m.opts.value_or(broadcast_options{});
  switch (m.type) {
    case cluster_type::broadcast: return on_broadcast_message(nsp, m);
    case cluster_type::sockets_join:
    case cluster_type::sockets_leave:
      join_local(nsp, opts, m.rooms.value_or(std::vector<std::string>{}), m.type == cluster_type::sockets_join);
      return;
    case cluster_type::disconnect_sockets: disconnect_local(server_, nsp, opts, m.close.value_or(false)); return;
    case cluster_type::fetch_sockets: {
      if (!m.request_id) return;
      cluster_message out;
      out.type = cluster_type::fetch_sockets_response;
      out.request_id = m.request_id;
      out.sockets = fetch_local(nsp, opts);
      return respond(nsp, m.uid, std::move(out));
    }
    case cluster_type::server_side_emit: {
      if (!m.request_id || !m.value) return;  // no ack asked for: sio serve has no handlers
      cluster_message out;
      out.type = cluster_type::server_side_emit_response;
      out.request_id = m.request_id;
      out.value = payload{server_side_emit_answer(m.value->json), m.value->attachments};
      return respond(nsp, m.uid, std::move(out));
    }
    default: return;  // answers to requests (sio serve asks none), heartbeats, close
  }
}

void sharded_adapter::on_broadcast_message(server::server_namespace& nsp, cluster_message& m) {
  if (!m.packet) return;
  const broadcast_options opts = m.opts.value_or(broadcast_options{});
  if (!m.request_id) {
    m.packet->id.reset();
    nsp.broadcast(nsp.encode(*m.packet), opts.rooms, opts.except);
    return;
  }
  // Each client's ACK goes back as BROADCAST_ACK; the handler waits in the socket and may
  // outlive this adapter, so it holds the connection weakly.
  cluster_message ack_base;
  ack_base.type = cluster_type::broadcast_ack;
  ack_base.uid = uid_;
  ack_base.nsp = nsp.name();
  ack_base.request_id = m.request_id;
  auto forward = [pub = std::weak_ptr<connection>(pub_), channel = channels_.responses(nsp.name(), m.uid),
                  ack_base = std::move(ack_base)](const socketio::packet& ack) {
    auto conn = pub.lock();
    if (!conn || !conn->is_up()) return;
    cluster_message out = ack_base;
    out.value = first_ack_argument(ack);
    if (auto bytes = encode_cluster_message(out)) conn->command({"SPUBLISH", channel, std::move(*bytes)});
  };
  cluster_message count;
  count.type = cluster_type::broadcast_client_count;
  count.request_id = m.request_id;
  count.client_count = nsp.broadcast_with_ack(*m.packet, opts.rooms, opts.except, forward, ack_wait(opts));
  respond(nsp, m.uid, std::move(count));
}

}  // namespace sio::redis

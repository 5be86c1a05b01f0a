#include "core/redis/sharded_messages.hpp"

#include "core/jsvalue/msgpack.hpp"
#include "core/redis/message_parts.hpp"

namespace sio::redis {

namespace {

using detail::append_member;
using namespace parts;

constexpr std::size_t socket_id_length = 20;  // base64id's length: Node's "looks like a socket id"

// String.prototype.length: UTF-16 code units (a 4-byte UTF-8 sequence is two). Room names
// come from JSON, so they are well-formed UTF-8.
std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xc0) == 0x80) continue;  // a continuation byte
    n += c >= 0xf0 ? 2 : 1;
  }
  return n;
}

bool has_binary(const value& v) {
  if (v.is_binary()) return true;
  if (v.is_array() || v.is_object())
    for (const auto& e : v)
      if (has_binary(e)) return true;
  return false;
}

bool may_carry_binary(cluster_type t) {
  return t == cluster_type::broadcast || t == cluster_type::fetch_sockets_response ||
         t == cluster_type::server_side_emit || t == cluster_type::server_side_emit_response ||
         t == cluster_type::broadcast_ack;
}

result<value> data_value(const cluster_message& m) {
  value d = value::object();
  auto put_payload = [&](std::string_view key) -> error_code {
    if (!m.value) return {};
    auto v = from_payload(m.value->json, m.value->attachments);
    if (!v) return v.error();
    append_member(d, std::string(key), std::move(*v));
    return {};
  };
  auto put_request_id = [&] {
    if (m.request_id) append_member(d, "requestId", *m.request_id);
  };
  auto put_opts = [&](bool with_flags) {
    append_member(d, "opts", opts_value(m.opts.value_or(broadcast_options{}), with_flags, producer::adapter));
  };
  switch (m.type) {
    case cluster_type::broadcast: {
      if (!m.packet) return bad();
      auto p = packet_value(*m.packet, json::default_max_depth, false);
      if (!p) return p.error();
      append_member(d, "packet", std::move(*p));
      put_request_id();
      put_opts(true);
      break;
    }
    case cluster_type::sockets_join:
    case cluster_type::sockets_leave:
      put_opts(true);
      append_member(d, "rooms", string_array(m.rooms.value_or(std::vector<std::string>{})));
      break;
    case cluster_type::disconnect_sockets:
      put_opts(true);
      append_member(d, "close", m.close.value_or(false));
      break;
    case cluster_type::fetch_sockets:
      put_opts(true);
      put_request_id();
      break;
    case cluster_type::fetch_sockets_response: {
      put_request_id();
      value list = value::array();
      for (const auto& s : m.sockets.value_or(std::vector<fetched_socket>{})) {
        auto so = fetched_socket_value(s);
        if (!so) return so.error();
        list.push_back(std::move(*so));
      }
      append_member(d, "sockets", std::move(list));
      break;
    }
    case cluster_type::server_side_emit:
    case cluster_type::server_side_emit_response:
    case cluster_type::broadcast_ack:
      put_request_id();
      if (auto ec = put_payload("packet")) return ec;
      break;
    case cluster_type::broadcast_client_count:
      put_request_id();
      append_member(d, "clientCount", m.client_count.value_or(0));
      break;
    default: break;  // heartbeats and close carry no data
  }
  return d;
}

error_code read_data(const value& d, cluster_message& m) {
  if (!d.is_object()) return bad();
  if (auto ec = get_string(d, "requestId", m.request_id)) return ec;
  if (const value* opts = member(d, "opts"); opts && !opts->is_null()) {
    m.opts.emplace();
    if (auto ec = read_opts(*opts, *m.opts)) return ec;
  }
  switch (m.type) {
    case cluster_type::broadcast: {
      const value* p = member(d, "packet");
      if (!p) return bad();
      m.packet.emplace();
      if (auto ec = read_packet(*p, *m.packet)) return ec;
      m.packet->nsp = m.nsp;  // on the envelope, not in the packet
      break;
    }
    case cluster_type::sockets_join:
    case cluster_type::sockets_leave: {
      m.rooms.emplace();
      if (const value* rooms = member(d, "rooms"))
        if (auto ec = get_rooms(*rooms, *m.rooms)) return ec;
      break;
    }
    case cluster_type::disconnect_sockets:
      if (const value* close = member(d, "close")) m.close = js_truthy(*close);
      break;
    case cluster_type::fetch_sockets_response: {
      const value* sockets = member(d, "sockets");
      if (!sockets || !sockets->is_array()) return bad();
      m.sockets.emplace();
      for (const auto& s : *sockets) {
        fetched_socket f;
        if (auto ec = read_fetched_socket(s, f)) return ec;
        m.sockets->push_back(std::move(f));
      }
      break;
    }
    case cluster_type::server_side_emit:
    case cluster_type::server_side_emit_response:
    case cluster_type::broadcast_ack:
      if (const value* p = member(d, "packet")) m.value = to_payload(*p);
      break;
    case cluster_type::broadcast_client_count: {
      const value* count = member(d, "clientCount");
      m.client_count = count ? as_uint(*count) : std::nullopt;
      if (!m.client_count) return bad();
      break;
    }
    default: break;
  }
  return {};
}

}  // namespace

// ---- channels ----

std::optional<subscription_mode> parse_subscription_mode(std::string_view name) {
  if (name == "static") return subscription_mode::static_mode;
  if (name == "dynamic") return subscription_mode::dynamic;
  if (name == "dynamic-private") return subscription_mode::dynamic_private;
  return std::nullopt;
}

bool shard_channels::publishes_on_room_channel(std::string_view room) const {
  switch (mode_) {
    case subscription_mode::static_mode: return false;
    case subscription_mode::dynamic: return utf16_length(room) != socket_id_length;
    case subscription_mode::dynamic_private: return true;
  }
  return false;
}

bool shard_channels::subscribes_to_room_channel(bool is_local_socket_id) const {
  switch (mode_) {
    case subscription_mode::static_mode: return false;
    case subscription_mode::dynamic: return !is_local_socket_id;
    case subscription_mode::dynamic_private: return true;
  }
  return false;
}

std::string shard_channels::broadcast_for(std::string_view nsp, const std::vector<std::string>& rooms,
                                          bool with_ack) const {
  if (!with_ack && rooms.size() == 1 && publishes_on_room_channel(rooms.front())) return room(nsp, rooms.front());
  return main(nsp);
}

// ---- messages ----

result<std::string> encode_cluster_message(const cluster_message& m) {
  auto data = data_value(m);
  if (!data) return data.error();
  value o = value::object();
  append_member(o, "type", static_cast<int>(m.type));
  const bool binary = may_carry_binary(m.type) && has_binary(*data);
  // Heartbeats and the close announcement carry no data; every other type does.
  if (m.type >= cluster_type::broadcast && m.type != cluster_type::adapter_close)
    append_member(o, "data", std::move(*data));
  append_member(o, "uid", m.uid);
  append_member(o, "nsp", m.nsp);
  if (binary) return msgpack::encode(o);
  return to_js_json(o);
}

result<cluster_message> decode_cluster_message(std::string_view bytes, const message_limits& limits) {
  auto v = decode_any(bytes, limits);
  if (!v) return v.error();
  if (!v->is_object()) return bad();
  const value& o = *v;
  cluster_message m;
  const value* t = member(o, "type");
  const auto type = t ? as_uint(*t) : std::nullopt;
  if (!type) return bad();
  if (*type < 1 || *type > 13) return redis_error::unknown_request_type;
  m.type = static_cast<cluster_type>(*type);
  std::optional<std::string> uid, nsp;
  if (auto ec = get_string(o, "uid", uid)) return ec;
  if (auto ec = get_string(o, "nsp", nsp)) return ec;
  m.uid = uid.value_or("");
  m.nsp = nsp.value_or("/");
  if (const value* d = member(o, "data"); d && !d->is_null())
    if (auto ec = read_data(*d, m)) return ec;
  return m;
}

}  // namespace sio::redis

#include "core/redis/adapter_messages.hpp"

#include <cmath>
#include <limits>

#include "core/jsvalue/msgpack.hpp"
#include "core/redis/message_parts.hpp"

namespace sio::redis {

namespace {

using detail::append_member;
using namespace parts;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

void append_glob_escaped(std::string_view s, std::string& out) {
  for (char c : s) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
}

error_code read_type(const value& obj, bool required, std::optional<request_type>& out) {
  const value* t = member(obj, "type");
  if (!t) return required ? bad() : error_code{};
  const auto n = as_uint(*t);
  if (!n) return t->is_number() ? error_code{redis_error::unknown_request_type} : bad();
  if (*n > 9) return redis_error::unknown_request_type;
  out = static_cast<request_type>(*n);
  return {};
}

}  // namespace

// ---- channels ----

std::string channels::broadcast(std::string_view nsp) const {
  std::string out = key_;
  out.push_back('#');
  out.append(nsp);
  out.push_back('#');
  return out;
}

std::string channels::broadcast(std::string_view nsp, std::string_view room) const {
  std::string out = broadcast(nsp);
  out.append(room);
  out.push_back('#');
  return out;
}

std::string channels::broadcast_for(std::string_view nsp, std::span<const std::string> rooms) const {
  return rooms.size() == 1 ? broadcast(nsp, rooms.front()) : broadcast(nsp);
}

std::string channels::broadcast_pattern(std::string_view nsp) const {
  std::string out;
  append_glob_escaped(key_, out);
  out.push_back('#');
  append_glob_escaped(nsp, out);
  out += "#*";
  return out;
}

std::string channels::request(std::string_view nsp) const {
  std::string out = key_;
  out += "-request#";
  out.append(nsp);
  out.push_back('#');
  return out;
}

std::string channels::response(std::string_view nsp) const {
  std::string out = key_;
  out += "-response#";
  out.append(nsp);
  out.push_back('#');
  return out;
}

std::string channels::response(std::string_view nsp, std::string_view uid) const {
  std::string out = response(nsp);
  out.append(uid);
  out.push_back('#');
  return out;
}

std::optional<channel_match> channels::match(std::string_view channel, std::string_view nsp) const {
  // A suffix after a prefix: "" or "<name>#".
  auto suffix = [&](std::string_view prefix) -> std::optional<std::string> {
    if (!starts_with(channel, prefix)) return std::nullopt;
    std::string_view rest = channel.substr(prefix.size());
    if (rest.empty()) return std::string();
    if (rest.size() < 2 || rest.back() != '#') return std::nullopt;
    return std::string(rest.substr(0, rest.size() - 1));
  };
  if (auto room = suffix(broadcast(nsp))) return channel_match{channel_kind::broadcast, std::move(*room)};
  if (channel == request(nsp)) return channel_match{channel_kind::request, {}};
  if (auto uid = suffix(response(nsp))) return channel_match{channel_kind::response, std::move(*uid)};
  return std::nullopt;
}

// ---- broadcast ----

result<std::string> encode_broadcast(const broadcast_message& m, producer p) {
  auto pkt = packet_value(m.packet, json::default_max_depth);
  if (!pkt) return pkt.error();
  value msg = value::array();
  msg.push_back(m.uid);
  msg.push_back(std::move(*pkt));
  msg.push_back(opts_value(m.opts, true, p));
  return msgpack::encode(msg);
}

result<broadcast_message> decode_broadcast(std::string_view bytes, const message_limits& limits) {
  auto v = msgpack::decode(bytes, {limits.max_depth});
  if (!v) return v.error();
  if (!v->is_array() || v->size() < 3) return bad();
  broadcast_message m;
  const value& uid = (*v)[0];
  if (!uid.is_string()) return bad();
  m.uid = uid.get<std::string>();
  if (auto ec = read_packet((*v)[1], m.packet)) return ec;
  if (auto ec = read_opts((*v)[2], m.opts)) return ec;
  return m;
}

// ---- requests ----

result<std::string> encode_request(const request& r) {
  value o = value::object();
  if (r.uid) append_member(o, "uid", *r.uid);
  if (r.request_id) append_member(o, "requestId", *r.request_id);
  append_member(o, "type", static_cast<int>(r.type));
  if (r.packet) {
    auto pkt = packet_value(*r.packet, json::default_max_depth);
    if (!pkt) return pkt.error();
    append_member(o, "packet", std::move(*pkt));
  }
  if (r.opts) append_member(o, "opts", opts_value(*r.opts, r.type == request_type::broadcast, producer::adapter));
  if (r.rooms) append_member(o, "rooms", string_array(*r.rooms));
  if (r.sid) append_member(o, "sid", *r.sid);
  if (r.room) append_member(o, "room", *r.room);
  if (r.close) append_member(o, "close", *r.close);
  if (r.data) {
    auto data = json_value(*r.data, json::default_max_depth);
    if (!data) return data.error();
    append_member(o, "data", std::move(*data));
  }
  if (r.type == request_type::broadcast) return msgpack::encode(o);
  return to_js_json(o);
}

result<request> decode_request(std::string_view bytes, const message_limits& limits) {
  auto v = decode_any(bytes, limits);
  if (!v) return v.error();
  if (!v->is_object()) return bad();
  const value& o = *v;
  request r;
  std::optional<request_type> type;
  if (auto ec = read_type(o, true, type)) return ec;
  r.type = *type;
  if (auto ec = get_string(o, "uid", r.uid)) return ec;
  if (auto ec = get_string(o, "requestId", r.request_id)) return ec;
  if (const value* p = member(o, "packet")) {
    r.packet.emplace();
    if (auto ec = read_packet(*p, *r.packet)) return ec;
  }
  if (const value* opts = member(o, "opts"); opts && !opts->is_null()) {
    r.opts.emplace();
    if (auto ec = read_opts(*opts, *r.opts)) return ec;
  }
  if (const value* rooms = member(o, "rooms")) {
    r.rooms.emplace();
    if (auto ec = get_rooms(*rooms, *r.rooms)) return ec;
  }
  if (auto ec = get_string(o, "sid", r.sid)) return ec;
  if (auto ec = get_string(o, "room", r.room)) return ec;
  if (const value* close = member(o, "close")) r.close = js_truthy(*close);
  if (const value* data = member(o, "data")) r.data = to_js_json(*data);
  return r;
}

// ---- responses ----

result<std::string> encode_response(const response& r) {
  value o = value::object();
  if (r.type) append_member(o, "type", static_cast<int>(*r.type));
  append_member(o, "requestId", r.request_id);
  if (r.socket_ids) {
    append_member(o, "sockets", string_array(*r.socket_ids));
  } else if (r.sockets) {
    value list = value::array();
    for (const auto& s : *r.sockets) {
      auto so = fetched_socket_value(s);
      if (!so) return so.error();
      list.push_back(std::move(*so));
    }
    append_member(o, "sockets", std::move(list));
  }
  if (r.rooms) append_member(o, "rooms", string_array(*r.rooms));
  if (r.data) {
    auto data = json_value(*r.data, json::default_max_depth);
    if (!data) return data.error();
    append_member(o, "data", std::move(*data));
  }
  if (r.client_count) append_member(o, "clientCount", *r.client_count);
  if (r.packet) {
    auto packet = from_payload(r.packet->json, r.packet->attachments);
    if (!packet) return packet.error();
    append_member(o, "packet", std::move(*packet));
  }
  if (r.type == request_type::broadcast_ack) return msgpack::encode(o);
  return to_js_json(o);
}

result<response> decode_response(std::string_view bytes, const message_limits& limits) {
  auto v = decode_any(bytes, limits);
  if (!v) return v.error();
  if (!v->is_object()) return bad();
  const value& o = *v;
  response r;
  if (auto ec = read_type(o, false, r.type)) return ec;
  std::optional<std::string> request_id;
  if (auto ec = get_string(o, "requestId", request_id)) return ec;
  if (!request_id) return bad();
  r.request_id = std::move(*request_id);
  if (const value* sockets = member(o, "sockets")) {
    if (!sockets->is_array()) return bad();
    bool ids = true, objects = true;
    for (const auto& s : *sockets) {
      ids = ids && s.is_string();
      objects = objects && s.is_object();
    }
    if (!ids && !objects) return bad();
    if (ids) {
      r.socket_ids.emplace();
      for (const auto& s : *sockets) r.socket_ids->push_back(s.get<std::string>());
    }
    if (objects) {
      r.sockets.emplace();
      for (const auto& s : *sockets) {
        fetched_socket f;
        if (auto ec = read_fetched_socket(s, f)) return ec;
        r.sockets->push_back(std::move(f));
      }
    }
  }
  if (const value* rooms = member(o, "rooms")) {
    r.rooms.emplace();
    if (auto ec = get_rooms(*rooms, *r.rooms)) return ec;
  }
  if (const value* data = member(o, "data")) r.data = to_js_json(*data);
  if (const value* count = member(o, "clientCount")) {
    r.client_count = as_uint(*count);
    if (!r.client_count) return bad();
  }
  if (const value* packet = member(o, "packet")) r.packet = to_payload(*packet);
  return r;
}

}  // namespace sio::redis

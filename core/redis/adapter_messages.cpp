#include "core/redis/adapter_messages.hpp"

#include <cmath>
#include <limits>

#include "core/redis/msgpack.hpp"

namespace sio::redis {

namespace {

using detail::append_member;

error_code bad() { return redis_error::invalid_message; }

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

void append_glob_escaped(std::string_view s, std::string& out) {
  for (char c : s) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
}

// A non-negative integral number (JavaScript has one number type: 2.0 is 2).
std::optional<std::uint64_t> as_uint(const value& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer()) {
    const auto n = v.get<std::int64_t>();
    if (n >= 0) return static_cast<std::uint64_t>(n);
    return std::nullopt;
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d >= 0 && std::floor(d) == d && d < 18446744073709551616.0)
      return static_cast<std::uint64_t>(d);
  }
  return std::nullopt;
}

bool js_truthy(const value& v) {
  switch (v.type()) {
    case value::value_t::null:
    case value::value_t::discarded: return false;
    case value::value_t::boolean: return v.get<bool>();
    case value::value_t::number_integer: return v.get<std::int64_t>() != 0;
    case value::value_t::number_unsigned: return v.get<std::uint64_t>() != 0;
    case value::value_t::number_float: {
      const double d = v.get<double>();
      return d != 0 && !std::isnan(d);
    }
    case value::value_t::string: return !v.get_ref<const value::string_t&>().empty();
    default: return true;
  }
}

const value* member(const value& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

// An optional string member: absent is fine, another type is not.
error_code get_string(const value& obj, std::string_view key, std::optional<std::string>& out) {
  const value* v = member(obj, key);
  if (!v) return {};
  if (!v->is_string()) return bad();
  out = v->get<std::string>();
  return {};
}

// Room lists, as a Set built from them: strings kept, anything else dropped (a room is a
// string; a number could match no socket). A lone string is one room.
error_code get_rooms(const value& v, std::vector<std::string>& out) {
  out.clear();
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return {};
  }
  if (v.is_null()) return {};
  if (!v.is_array()) return bad();
  for (const auto& e : v)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return {};
}

value string_array(const std::vector<std::string>& items) {
  value a = value::array();
  for (const auto& s : items) a.push_back(s);
  return a;
}

value flags_value(const broadcast_flags& f) {
  value o = value::object();
  if (f.is_volatile) append_member(o, "volatile", *f.is_volatile);
  if (f.compress) append_member(o, "compress", *f.compress);
  if (f.local) append_member(o, "local", *f.local);
  if (f.broadcast) append_member(o, "broadcast", *f.broadcast);
  if (f.binary) append_member(o, "binary", *f.binary);
  if (f.timeout) append_member(o, "timeout", *f.timeout);
  return o;
}

value opts_value(const broadcast_options& opts, bool with_flags, producer p) {
  value o = value::object();
  append_member(o, "rooms", string_array(opts.rooms));
  if (with_flags && p == producer::emitter) append_member(o, "flags", flags_value(opts.flags));
  append_member(o, "except", string_array(opts.except));
  if (with_flags && p == producer::adapter) append_member(o, "flags", flags_value(opts.flags));
  return o;
}

error_code read_opts(const value& v, broadcast_options& out) {
  if (!v.is_object()) return bad();
  if (const value* r = member(v, "rooms"))
    if (auto ec = get_rooms(*r, out.rooms)) return ec;
  if (const value* e = member(v, "except"))
    if (auto ec = get_rooms(*e, out.except)) return ec;
  const value* f = member(v, "flags");
  if (!f || !f->is_object()) return {};  // a flags value that is no object has no flags
  auto flag = [&](std::string_view key, std::optional<bool>& dst) {
    if (const value* b = member(*f, key); b && b->is_boolean()) dst = b->get<bool>();
  };
  flag("volatile", out.flags.is_volatile);
  flag("compress", out.flags.compress);
  flag("local", out.flags.local);
  flag("broadcast", out.flags.broadcast);
  flag("binary", out.flags.binary);
  if (const value* t = member(*f, "timeout")) {
    if (t->is_number_float() && std::isfinite(t->get<double>()) && t->get<double>() >= 0) {
      const double d = std::floor(t->get<double>());
      out.flags.timeout =
          d >= 18446744073709551615.0 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(d);
    } else {
      out.flags.timeout = as_uint(*t);
    }
  }
  return {};
}

int wire_type(socketio::packet_type t) {
  switch (t) {
    case socketio::packet_type::binary_event: return 2;  // Node's emit builds EVENT; its encoder
    case socketio::packet_type::binary_ack: return 3;    // turns it into BINARY_EVENT on the way out
    default: return static_cast<char>(t) - '0';
  }
}

result<value> packet_value(const socketio::packet& p, std::size_t max_depth) {
  value o = value::object();
  append_member(o, "type", wire_type(p.type));
  if (!p.data.empty()) {
    auto data = from_payload(p.data, p.attachments, max_depth);
    if (!data) return data.error();
    append_member(o, "data", std::move(*data));
  }
  append_member(o, "nsp", p.nsp);
  if (p.id) append_member(o, "id", *p.id);
  return o;
}

error_code read_packet(const value& v, socketio::packet& out) {
  if (!v.is_object()) return bad();
  const value* t = member(v, "type");
  const auto type = t ? as_uint(*t) : std::nullopt;
  if (!type || (*type != 2 && *type != 3 && *type != 5 && *type != 6)) return bad();
  const bool ack = *type == 3 || *type == 6;
  if (const value* nsp = member(v, "nsp")) {
    if (!nsp->is_string()) return bad();
    out.nsp = nsp->get<std::string>();
  } else {
    out.nsp.assign(1, '/');  // not = "/": GCC 12 -O2 sees a bogus overlap (-Wrestrict, PR 105329)
  }
  out.data.clear();
  out.attachments.clear();
  if (const value* data = member(v, "data")) append_js_json(*data, out.data, &out.attachments);
  out.id.reset();
  if (const value* id = member(v, "id"); id && !id->is_null()) {
    const auto n = as_uint(*id);
    if (!n || *n > socketio::max_ack_id) return bad();
    out.id = *n;
  }
  const bool binary = !out.attachments.empty();
  out.type = ack ? (binary ? socketio::packet_type::binary_ack : socketio::packet_type::ack)
                 : (binary ? socketio::packet_type::binary_event : socketio::packet_type::event);
  return {};
}

// Requests and responses: JSON when the first byte is '{', else msgpack.
result<value> decode_any(std::string_view bytes, const message_limits& limits) {
  if (!bytes.empty() && bytes.front() == '{') return parse_json(bytes, limits.max_depth);
  return msgpack::decode(bytes, {limits.max_depth});
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

result<value> json_value(std::string_view text, std::size_t max_depth) { return parse_json(text, max_depth); }

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
      value so = value::object();
      append_member(so, "id", s.id);
      auto handshake = json_value(s.handshake.empty() ? std::string_view("{}") : s.handshake, json::default_max_depth);
      if (!handshake) return handshake.error();
      append_member(so, "handshake", std::move(*handshake));
      append_member(so, "rooms", string_array(s.rooms));
      if (!s.data.empty()) {
        auto data = json_value(s.data, json::default_max_depth);
        if (!data) return data.error();
        append_member(so, "data", std::move(*data));
      }
      list.push_back(std::move(so));
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
        std::optional<std::string> id;
        if (auto ec = get_string(s, "id", id)) return ec;
        if (!id) return bad();
        f.id = std::move(*id);
        if (const value* h = member(s, "handshake")) f.handshake = to_js_json(*h);
        if (const value* rooms = member(s, "rooms"))
          if (auto ec = get_rooms(*rooms, f.rooms)) return ec;
        if (const value* data = member(s, "data")) f.data = to_js_json(*data);
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

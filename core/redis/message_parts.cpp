#include "core/redis/message_parts.hpp"

#include <cmath>
#include <limits>

#include "core/jsvalue/msgpack.hpp"

namespace sio::redis::parts {

using detail::append_member;

error_code bad() { return redis_error::invalid_message; }

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

result<value> packet_value(const socketio::packet& p, std::size_t max_depth, bool with_nsp) {
  value o = value::object();
  append_member(o, "type", wire_type(p.type));
  if (!p.data.empty()) {
    auto data = from_payload(p.data, p.attachments, max_depth);
    if (!data) return data.error();
    append_member(o, "data", std::move(*data));
  }
  if (with_nsp) append_member(o, "nsp", p.nsp);
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
  // What clients would refuse (and drop the connection over) is refused here: an event is
  // [name, ...args] with a string or number name, an ack's data an array.
  const value* data = member(v, "data");
  if (!ack && (!data || !data->is_array() || data->empty() || !((*data)[0].is_string() || (*data)[0].is_number())))
    return bad();
  if (ack && data && !data->is_array()) return bad();
  out.data.clear();
  out.attachments.clear();
  if (data) append_js_json(*data, out.data, &out.attachments);
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

result<value> json_value(std::string_view text, std::size_t max_depth) { return parse_json(text, max_depth); }

result<value> fetched_socket_value(const fetched_socket& s) {
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
  return so;
}

error_code read_fetched_socket(const value& s, fetched_socket& f) {
  std::optional<std::string> id;
  if (auto ec = get_string(s, "id", id)) return ec;
  if (!id) return bad();
  f.id = std::move(*id);
  if (const value* h = member(s, "handshake")) f.handshake = to_js_json(*h);
  if (const value* rooms = member(s, "rooms"))
    if (auto ec = get_rooms(*rooms, f.rooms)) return ec;
  if (const value* data = member(s, "data")) f.data = to_js_json(*data);
  return {};
}

}  // namespace sio::redis::parts

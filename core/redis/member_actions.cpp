#include "core/redis/member_actions.hpp"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "core/common/json_scan.hpp"

namespace sio::redis {

namespace {

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

}  // namespace

std::vector<fetched_socket> fetch_local(const server::server_namespace& nsp, const broadcast_options& opts) {
  std::vector<fetched_socket> out;
  for (auto* s : nsp.select(opts.rooms, opts.except))
    // data: socket.data, {} unless a handler set it (Node's RemoteSocket reads it)
    out.push_back({s->id(), handshake_of(*s), {s->rooms().begin(), s->rooms().end()}, "{}"});
  return out;
}

void join_local(server::server_namespace& nsp, const broadcast_options& opts, const std::vector<std::string>& rooms,
                bool join) {
  for (auto* s : nsp.select(opts.rooms, opts.except))
    for (const auto& room : rooms) {
      if (join)
        s->join(room);
      else
        s->leave(room);
    }
}

void disconnect_local(server::sio_server& server, server::server_namespace& nsp, const broadcast_options& opts,
                      bool close) {
  for (auto* s : nsp.select(opts.rooms, opts.except)) server.disconnect_socket(*s, close);
}

std::string server_side_emit_answer(std::string_view data) {
  auto items = json::array_elements(data);
  if (items && items->size() > 1) return std::string((*items)[1]);
  return "null";
}

std::optional<std::chrono::milliseconds> ack_wait(const broadcast_options& opts) {
  if (!opts.flags.timeout) return std::nullopt;
  const auto capped = std::min<std::uint64_t>(*opts.flags.timeout, 24ull * 3600 * 1000);  // no overflow
  return std::chrono::milliseconds(static_cast<std::int64_t>(capped) + 1000);
}

std::optional<payload> first_ack_argument(const socketio::packet& ack) {
  auto args = json::array_elements(ack.data);
  if (!args || args->empty()) return std::nullopt;
  return payload{std::string((*args)[0]), ack.attachments};
}

}  // namespace sio::redis

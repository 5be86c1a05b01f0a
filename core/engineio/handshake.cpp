#include "core/engineio/handshake.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/common/json_scan.hpp"

namespace sio::engineio {

std::string encode_handshake(const handshake& h) {
  std::string out = "{\"sid\":";
  json::quote_append(h.sid, out);
  out += ",\"upgrades\":[";
  for (std::size_t i = 0; i < h.upgrades.size(); ++i) {
    if (i) out.push_back(',');
    json::quote_append(h.upgrades[i], out);
  }
  out += fmt::format("],\"pingInterval\":{},\"pingTimeout\":{}", h.ping_interval, h.ping_timeout);
  if (h.max_payload) out += fmt::format(",\"maxPayload\":{}", *h.max_payload);
  out.push_back('}');
  return out;
}

namespace {
std::optional<std::uint64_t> read_uint(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number() || it->get<double>() < 0) return std::nullopt;
  return static_cast<std::uint64_t>(it->get<double>());
}
}  // namespace

result<handshake> decode_handshake(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return codec_error::invalid_handshake;
  auto sid = j.find("sid");
  if (sid == j.end() || !sid->is_string() || sid->get_ref<const std::string&>().empty())
    return codec_error::invalid_handshake;
  handshake h;
  h.sid = sid->get<std::string>();
  if (auto up = j.find("upgrades"); up != j.end() && up->is_array()) {
    for (const auto& u : *up)
      if (u.is_string()) h.upgrades.push_back(u.get<std::string>());
  }
  auto interval = read_uint(j, "pingInterval");
  auto timeout = read_uint(j, "pingTimeout");
  if (!interval || !timeout) return codec_error::invalid_handshake;
  h.ping_interval = *interval;
  h.ping_timeout = *timeout;
  h.max_payload = read_uint(j, "maxPayload");
  return h;
}

}  // namespace sio::engineio

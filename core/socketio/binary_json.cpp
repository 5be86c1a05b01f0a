#include "core/socketio/binary_json.hpp"

#include "core/common/base64.hpp"
#include "core/socketio/packet.hpp"

namespace sio::socketio {

std::string placeholders_to_binary_json(std::string_view json, const std::vector<std::string>& attachments) {
  if (attachments.empty()) return std::string(json);
  auto found = find_placeholders(json, attachments.size(), 1024);
  if (!found) return std::string(json);
  std::string out;
  out.reserve(json.size() + attachments.size() * 16);
  std::size_t pos = 0;
  for (const auto& p : *found) {
    out.append(json.substr(pos, p.begin - pos));
    out += "{\"$binary\":\"";
    base64::encode_append(attachments[p.num], out);
    out += "\"}";
    pos = p.end;
  }
  out.append(json.substr(pos));
  return out;
}

}  // namespace sio::socketio

#include "cmd/event_args.hpp"

#include "cmd/bracket_args.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/common/json_scan.hpp"
#include "core/socketio/binary_json.hpp"
#include "core/socketio/packet.hpp"

namespace sio::cmd {

void add_arg(event_args& out, std::string_view text) {
  text = unprotect_brackets(text);
  if (text.size() > 1 && text.front() == '@') {
    const std::string path(text.substr(1));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    out.json.push_back(socketio::placeholder_json(out.attachments.size()));
    out.attachments.push_back(ss.str());
    return;
  }
  if (json::validate(text)) {
    auto converted = socketio::binary_json_to_placeholders(text, out.attachments);
    if (!converted) throw std::invalid_argument(converted.error().message());
    out.json.push_back(std::move(*converted));
    return;
  }
  out.json.push_back(json::quote(text));
}

event_args parse_args(const std::vector<std::string>& texts) {
  event_args out;
  for (const auto& t : texts) add_arg(out, t);
  return out;
}

}  // namespace sio::cmd

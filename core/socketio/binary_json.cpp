#include "core/socketio/binary_json.hpp"

#include "core/common/base64.hpp"
#include "core/common/json_scan.hpp"
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

namespace {

struct binary_object_visitor : json::visitor {
  struct frame {
    std::size_t begin = 0;
    bool object = false;
    std::size_t members = 0;
    bool binary_key = false;
    std::string_view value;  // the string literal under "$binary"
  };
  struct found {
    std::size_t begin, end;
    std::string_view literal;
  };
  std::vector<frame> frames;
  std::vector<found> objects;

  void on_begin(json::kind k, std::size_t offset, std::size_t) {
    frame f;
    f.begin = offset;
    f.object = k == json::kind::object;
    frames.push_back(f);
  }
  void on_key(std::string_view raw, std::size_t) {
    auto& f = frames.back();
    ++f.members;
    f.binary_key = raw == "\"$binary\"";
    f.value = {};
  }
  void on_scalar(json::kind k, std::string_view raw, std::size_t) {
    if (frames.empty() || !frames.back().object) return;
    auto& f = frames.back();
    if (f.binary_key && k == json::kind::string) f.value = raw;
  }
  void on_end(json::kind, std::size_t end, std::size_t) {
    const frame f = frames.back();
    frames.pop_back();
    if (f.object && f.members == 1 && f.binary_key && !f.value.empty()) objects.push_back({f.begin, end, f.value});
  }
};

}  // namespace

result<std::string> binary_json_to_placeholders(std::string_view text, std::vector<std::string>& attachments) {
  binary_object_visitor v;
  if (auto ec = json::scan(text, v)) return ec;
  if (v.objects.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (const auto& o : v.objects) {
    auto bytes = base64::decode(json::unquote(o.literal));
    if (!bytes) return codec_error::invalid_binary_json;
    out.append(text.substr(pos, o.begin - pos));
    out += placeholder_json(attachments.size());
    attachments.push_back(std::move(*bytes));
    pos = o.end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace sio::socketio

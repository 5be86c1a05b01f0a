#include "core/socketio/packet.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/common/json_scan.hpp"

namespace sio::socketio {

bool is_reserved_event(std::string_view name) {
  static constexpr std::array<std::string_view, 6> reserved = {"connect",       "connect_error", "disconnect",
                                                               "disconnecting", "newListener",   "removeListener"};
  for (auto r : reserved)
    if (r == name) return true;
  return false;
}

result<event_view> split_event(std::string_view data) {
  auto elements = json::array_elements(data);
  if (!elements) return elements.error();
  if (elements->empty()) return codec_error::invalid_payload;
  event_view ev;
  ev.name_raw = elements->front();
  ev.name = ev.name_raw.front() == '"' ? json::unquote(ev.name_raw) : std::string(ev.name_raw);
  ev.args.assign(elements->begin() + 1, elements->end());
  return ev;
}

std::string make_array(std::span<const std::string_view> raw_values) {
  std::size_t size = 2;
  for (auto v : raw_values) size += v.size() + 1;
  std::string out;
  out.reserve(size);
  out.push_back('[');
  for (std::size_t i = 0; i < raw_values.size(); ++i) {
    if (i) out.push_back(',');
    out.append(raw_values[i]);
  }
  out.push_back(']');
  return out;
}

std::string make_event_data(std::string_view name, std::span<const std::string_view> raw_args) {
  std::string out = "[";
  json::quote_append(name, out);
  for (auto a : raw_args) {
    out.push_back(',');
    out.append(a);
  }
  out.push_back(']');
  return out;
}

std::string placeholder_json(std::size_t num) { return fmt::format("{{\"_placeholder\":true,\"num\":{}}}", num); }

namespace {

enum class member { other, placeholder, num };

member classify_key(std::string_view raw) {
  if (raw == "\"_placeholder\"") return member::placeholder;
  if (raw == "\"num\"") return member::num;
  if (raw.find('\\') == std::string_view::npos) return member::other;
  const auto key = json::unquote(raw);  // an escaped spelling of the same key
  if (key == "_placeholder") return member::placeholder;
  if (key == "num") return member::num;
  return member::other;
}

// A placeholder's num must be a number that indexes a buffer: an integer in range.
std::optional<std::size_t> index_of(std::string_view raw_number) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(raw_number.data(), raw_number.data() + raw_number.size(), value);
  if (ec != std::errc{} || ptr != raw_number.data() + raw_number.size()) return std::nullopt;
  if (!(value >= 0) || value != std::floor(value) || value > 1e9) return std::nullopt;
  return static_cast<std::size_t>(value);
}

struct placeholder_visitor : json::visitor {
  struct frame {
    std::size_t begin = 0;
    bool object = false;
    member key = member::other;
    bool is_placeholder = false;
    std::optional<std::size_t> num;
  };
  struct candidate {
    placeholder p;
    bool valid;
  };
  std::vector<frame> frames;
  std::vector<candidate> found;

  void on_begin(json::kind k, std::size_t offset, std::size_t) {
    frame f;
    f.begin = offset;
    f.object = k == json::kind::object;
    frames.push_back(f);
  }
  void on_key(std::string_view raw, std::size_t) { frames.back().key = classify_key(raw); }
  void on_scalar(json::kind k, std::string_view raw, std::size_t) {
    if (frames.empty() || !frames.back().object) return;
    auto& f = frames.back();
    // Later duplicates win, as in JSON.parse.
    if (f.key == member::placeholder) f.is_placeholder = raw == "true";
    if (f.key == member::num) f.num = k == json::kind::number ? index_of(raw) : std::nullopt;
  }
  void on_end(json::kind, std::size_t end, std::size_t) {
    frame f = frames.back();
    frames.pop_back();
    // A container value under the key "num" makes num invalid.
    if (!frames.empty() && frames.back().object && frames.back().key == member::num) frames.back().num.reset();
    if (!f.object || !f.is_placeholder) return;
    // Drop placeholders nested in this one: the reference never looks inside.
    while (!found.empty() && found.back().p.begin > f.begin) found.pop_back();
    found.push_back({{f.begin, end, f.num.value_or(0)}, f.num.has_value()});
  }
};

}  // namespace

result<std::vector<placeholder>> find_placeholders(std::string_view data, std::size_t attachments,
                                                   std::size_t max_depth) {
  placeholder_visitor v;
  if (auto ec = json::scan(data, v, max_depth)) return ec;
  std::vector<placeholder> out;
  out.reserve(v.found.size());
  for (const auto& c : v.found) {
    if (!c.valid || c.p.num >= attachments) return codec_error::invalid_placeholder;
    out.push_back(c.p);
  }
  return out;
}

}  // namespace sio::socketio

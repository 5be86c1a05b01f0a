#include "cmd/event_printer.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "core/common/json_scan.hpp"
#include "core/socketio/binary_json.hpp"
#include "core/socketio/packet.hpp"

namespace sio::cmd {

std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

std::string args_array(const std::vector<std::string_view>& args, const std::vector<std::string>& attachments) {
  return socketio::placeholders_to_binary_json(socketio::make_array(args), attachments);
}

std::string ack_array(const client::ack_result& r) {
  return socketio::placeholders_to_binary_json(r.data, r.attachments);
}

std::string args_words(const client::incoming_event& ev) {
  const std::string args = args_array(ev.args, ev.attachments);  // the views below point into it
  std::string out;
  auto elements = json::array_elements(args);
  if (elements)
    for (auto e : *elements) {
      out.push_back(' ');
      out.append(e);
    }
  return out;
}

std::string format_event(const client::incoming_event& ev, bool json) {
  if (json) {
    const std::string args = args_array(ev.args, ev.attachments);
    return fmt::format(R"({{"time":"{}","type":"event","nsp":{},"event":{},"args":{}}})", now_iso8601(),
                       json::quote(ev.nsp), ev.name_raw, args);
  }
  // `[/nsp ]chat "hi" 42`
  return (ev.nsp == "/" ? std::string() : ev.nsp + " ") + ev.name + args_words(ev);
}

std::string connected_record(std::string_view nsp, std::string_view sid, std::string_view transport,
                             std::string_view url) {
  return fmt::format(R"({{"time":"{}","type":"connected","nsp":{},"sid":{},"transport":{},"url":{}}})", now_iso8601(),
                     json::quote(nsp), json::quote(sid), json::quote(transport), json::quote(url));
}

void print_line(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace sio::cmd

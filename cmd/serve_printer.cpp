#include "cmd/serve_printer.hpp"

#include <fmt/chrono.h>
#include <fmt/core.h>

#include <chrono>
#include <cstdio>

#include "core/common/json_scan.hpp"
#include "core/socketio/binary_json.hpp"

namespace sio::cmd {

namespace {

std::string now_iso() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

std::string args_json(const server::event_message& m) {
  return socketio::placeholders_to_binary_json(socketio::make_array(m.args), m.attachments);
}

}  // namespace

void serve_printer::line(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);  // a pipe reader (jq, a test) sees each line as it happens
}

void serve_printer::on_connect(const server::socket& s) {
  if (json_) {
    line(fmt::format(R"({{"time":"{}","type":"connect","nsp":{},"sid":{},"transport":"{}","address":{},"auth":{}}})",
                     now_iso(), json::quote(s.nsp().name()), json::quote(s.id()), s.conn().transport_name(),
                     json::quote(s.conn().remote_address()), s.auth()));
  } else {
    line(fmt::format("connect    {} {} ({} from {}) auth={}", s.nsp().name(), s.id(), s.conn().transport_name(),
                     s.conn().remote_address(), s.auth()));
  }
}

void serve_printer::on_disconnect(const server::socket& s, std::string_view reason) {
  if (json_) {
    line(fmt::format(R"({{"time":"{}","type":"disconnect","nsp":{},"sid":{},"reason":{}}})", now_iso(),
                     json::quote(s.nsp().name()), json::quote(s.id()), json::quote(reason)));
  } else {
    line(fmt::format("disconnect {} {} ({})", s.nsp().name(), s.id(), reason));
  }
}

void serve_printer::on_event(const server::socket& s, const server::event_message& m) {
  const std::string args = args_json(m);
  if (json_) {
    std::string ack = m.ack_id ? std::to_string(*m.ack_id) : "null";
    line(fmt::format(R"({{"time":"{}","type":"event","nsp":{},"sid":{},"event":{},"args":{},"ack":{}}})", now_iso(),
                     json::quote(s.nsp().name()), json::quote(s.id()), m.name_raw, args, ack));
  } else {
    line(fmt::format("event      {} {} {} {}{}", s.nsp().name(), s.id(), m.name, args,
                     m.ack_id ? fmt::format(" (ack {})", *m.ack_id) : std::string()));
  }
}

void serve_printer::on_refused(const engineio::connection& c, std::string_view nsp, std::string_view why) {
  if (json_) {
    line(fmt::format(R"({{"time":"{}","type":"refused","nsp":{},"address":{},"reason":{}}})", now_iso(),
                     json::quote(nsp), json::quote(c.remote_address()), json::quote(why)));
  } else {
    line(fmt::format("refused    {} from {} ({})", nsp, c.remote_address(), why));
  }
}

void serve_printer::listening(std::string_view host, unsigned port, std::string_view url, std::string_view path) {
  if (!json_) return;  // in text, the start line on stderr says it
  line(fmt::format(R"({{"time":"{}","type":"listening","host":{},"port":{},"url":{},"path":{}}})", now_iso(),
                   json::quote(host), port, json::quote(url), json::quote(path)));
}

void serve_printer::on_protocol_error(const engineio::connection& c, std::string_view what) {
  fmt::print(stderr, "sio serve: closing {} ({}): {}\n", c.sid(), c.remote_address(), what);
}

}  // namespace sio::cmd

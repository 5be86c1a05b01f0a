#pragma once
// What `sio serve` shows on stdout: every connect, disconnect and event, as text lines or
// NDJSON (--json), so that the server doubles as an inspection sink.
#include "core/server/sio_server.hpp"

namespace sio::cmd {

class serve_printer final : public server::observer {
 public:
  explicit serve_printer(bool json) : json_(json) {}

  void on_connect(const server::socket& s) override;
  void on_disconnect(const server::socket& s, std::string_view reason) override;
  void on_event(const server::socket& s, const server::event_message& m) override;
  void on_refused(const engineio::connection& c, std::string_view nsp, std::string_view why) override;
  void on_protocol_error(const engineio::connection& c, std::string_view what) override;

  // With --json, being ready is a record too: {"time","type":"listening","host","port","url","path"}.
  void listening(std::string_view host, unsigned port, std::string_view url, std::string_view path);

 private:
  void line(const std::string& text);
  bool json_;
};

}  // namespace sio::cmd

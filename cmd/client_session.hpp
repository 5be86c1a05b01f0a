#pragma once
// The run of a client command: one io_context, one Socket.IO client, SIGINT/SIGTERM,
// an optional overall timeout, and the exit code. Commands override the events they use.
#include <memory>
#include <string>

#include "cmd/client_options.hpp"
#include "core/client/sio_client.hpp"
#include "core/transport/net.hpp"

namespace sio::cmd {

class client_session : public client::client_events {
 public:
  // `name` prefixes messages on stderr ("sio emit: ...").
  client_session(std::string name, const client_cli& cli, client::client_options options, std::string nsp);
  virtual ~client_session();

  // Connects to the URL's namespace and runs until finish(); returns the exit code.
  int run();

 protected:
  // Ends the run with `code` (the first call wins), closing the client cleanly.
  void finish(int code);
  // Ends the run with `code` after `delay`, unless something else ends it first.
  void finish_after(std::chrono::milliseconds delay, int code);
  // The client has closed: nothing is left to wait for.
  void closed(std::string_view problem);
  virtual void log(std::string_view message) const;  // errors: always
  void note(std::string_view message) const;         // status (connected, reconnecting): not with -q
  bool finished() const { return finished_; }

  // Defaults: report on stderr; a connect error or giving up ends the run with 1.
  void on_connect_error(const std::string& nsp, const std::string& message, std::string_view data) override;
  void on_transport_error(std::string_view reason, std::string_view detail) override;
  void on_reconnect_attempt(unsigned attempt, std::chrono::milliseconds delay) override;
  void on_reconnect_failed() override;
  // Called when the overall timeout expires; the default ends the run with 1.
  virtual void on_timeout();
  // Called once the client has closed after finish(code): `problem` is empty when everything
  // sent reached the server. Returns the exit code; the default keeps `code`.
  virtual int on_closed(std::string_view /*problem*/, int code) { return code; }

  std::string name_;
  const client_cli& cli_;
  std::string nsp_;
  bool reconnection_;  // the client reconnects after a lost or failed connection
  net::io_context ioc_{1};
  std::shared_ptr<client::sio_client> client_;

 private:
  net::signal_set signals_;
  net::steady_timer deadline_;
  net::steady_timer linger_;  // finish_after()
  int exit_code_ = 0;
  bool finished_ = false;
  bool closed_ = false;      // the client has closed after finish()
  bool reconnects_ = false;  // at least one reconnection was tried
};

}  // namespace sio::cmd

#include "cmd/client_session.hpp"

#include <fmt/core.h>

#include <csignal>
#include <functional>

#include "cmd/exit_codes.hpp"

namespace sio::cmd {

client_session::client_session(std::string name, const client_cli& cli, client::client_options options, std::string nsp)
    : name_(std::move(name)),
      cli_(cli),
      nsp_(std::move(nsp)),
      reconnection_(options.reconnection),
      client_(std::make_shared<client::sio_client>(ioc_.get_executor(), std::move(options), *this)),
      signals_(ioc_, SIGINT, SIGTERM),
      deadline_(ioc_),
      linger_(ioc_) {}

client_session::~client_session() = default;

int client_session::run() {
  // A signal ends the run; one during the close (which waits for the server, briefly) ends it at once.
  std::function<void(beast::error_code, int)> on_signal = [this, &on_signal](beast::error_code ec, int sig) {
    if (ec) return;
    const int code = sig == SIGINT ? exit_interrupted : exit_ok;  // SIGTERM: a requested stop
    if (finished_) {
      if (sig == SIGINT) exit_code_ = code;
      ioc_.stop();
      return;
    }
    finish(code);
    if (!closed_) signals_.async_wait(on_signal);  // the close may have ended at once
  };
  signals_.async_wait(on_signal);
  if (cli_.timeout.count() > 0) {
    deadline_.expires_after(to_ms(cli_.timeout));
    deadline_.async_wait([this](beast::error_code ec) {
      if (ec) return;
      if (!finished_) return on_timeout();
      // Still closing when the time is up: give up on the close too.
      log(fmt::format("timed out after {} while closing", format_duration(cli_.timeout)));
      exit_code_ = exit_failure;
      ioc_.stop();
    });
  }
  client_->join(nsp_, cli_.auth);
  ioc_.run();
  return exit_code_;
}

void client_session::finish(int code) {
  if (finished_) return;
  finished_ = true;
  exit_code_ = code;
  linger_.cancel();
  client_->close([this](std::string_view problem) { closed(problem); });
}

void client_session::closed(std::string_view problem) {
  closed_ = true;
  exit_code_ = on_closed(problem, exit_code_);
  signals_.cancel();
  deadline_.cancel();
}

void client_session::finish_after(std::chrono::milliseconds delay, int code) {
  if (finished_) return;
  linger_.expires_after(delay);
  linger_.async_wait([this, code](beast::error_code ec) {
    if (!ec) finish(code);
  });
}

void client_session::log(std::string_view message) const { fmt::print(stderr, "{}: {}\n", name_, message); }

void client_session::note(std::string_view message) const {
  if (!cli_.quiet) log(message);
}

void client_session::on_connect_error(const std::string& nsp, const std::string& message, std::string_view data) {
  log(fmt::format("connect_error on {}: {}{}", nsp, message, data.empty() ? "" : fmt::format(" {}", data)));
  finish(exit_failure);
}

void client_session::on_transport_error(std::string_view reason, std::string_view detail) {
  if (finished_) return;
  // With reconnection on, a lost or refused connection is part of the cycle (status); otherwise it ends the run.
  const std::string message = detail.empty() ? std::string(reason) : fmt::format("{}: {}", reason, detail);
  if (reconnection_)
    note(message);
  else
    log(message);
}

void client_session::on_reconnect_attempt(unsigned attempt, std::chrono::milliseconds delay) {
  reconnects_ = true;
  note(fmt::format("reconnecting in {} ms (attempt {})", delay.count(), attempt));
}

void client_session::on_reconnect_failed() {
  if (!finished_ && reconnects_) log("giving up");
  finish(exit_failure);
}

void client_session::on_timeout() {
  log(fmt::format("timed out after {}", format_duration(cli_.timeout)));
  finish(exit_failure);
}

}  // namespace sio::cmd

#pragma once
// The Engine.IO v4 server: checks requests as the reference does, owns the sessions, and
// serves long-polling requests and WebSocket connections (new, or upgrading a session).
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/engineio/request.hpp"
#include "core/server/engine_options.hpp"
#include "core/server/imports.hpp"
#include "core/transport/net.hpp"

namespace sio::server {

class eio_session;

using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

class engine {
 public:
  // Where sessions read the time for their heartbeat and timers: a test passes a fake clock
  // and drives each session's deadlines itself (eio_session::on_deadline).
  using clock = std::function<std::chrono::steady_clock::time_point()>;

  engine(net::any_io_executor ex, engine_options options, connection_handler& handler, clock now = {});
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // A long-polling request (handshake, GET or POST) on the Engine.IO path.
  awaitable<http_response> handle_polling(const http_request& req, std::string remote);
  // A WebSocket upgrade request on the Engine.IO path; takes over the stream. `leftover`: bytes
  // read past the request (a client may send its first frames without waiting for the 101).
  awaitable<void> handle_websocket(beast::tcp_stream stream, http_request req, std::string remote,
                                   std::string leftover = {});

  // Marks the POST of the session named in `target` as in flight until the claim is
  // dropped. `conflict`: another POST was already in flight, and the session is now closed.
  class post_claim {
   public:
    post_claim() = default;
    post_claim(std::shared_ptr<eio_session> s, bool conflict_) : session_(std::move(s)), conflict(conflict_) {}
    post_claim(post_claim&& other) noexcept = default;
    post_claim& operator=(post_claim&& other) noexcept;
    ~post_claim();

   private:
    std::shared_ptr<eio_session> session_;

   public:
    bool conflict = false;
  };
  post_claim claim_post(std::string_view target);

  // Closes every session (the server is shutting down); clients are told.
  void close_all(std::string_view reason);
  std::size_t session_count() const { return sessions_.size(); }

  // For sessions.
  void remove(const std::string& sid) { sessions_.erase(sid); }
  connection_handler& handler() { return handler_; }
  const engine_options& options() const { return options_; }
  std::chrono::steady_clock::time_point now() const { return now_ ? now_() : std::chrono::steady_clock::now(); }

  // The session with this sid, if open (the fuzz target drives its deadlines).
  std::shared_ptr<eio_session> find(const std::optional<std::string>& sid) const;

 private:
  std::shared_ptr<eio_session> create(engineio::transport_kind transport, std::string remote);
  std::string open_packet(const std::string& sid, bool can_upgrade) const;

  net::any_io_executor ex_;
  engine_options options_;
  connection_handler& handler_;
  clock now_;
  std::unordered_map<std::string, std::shared_ptr<eio_session>> sessions_;
};

}  // namespace sio::server

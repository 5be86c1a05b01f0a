// The Engine.IO engine and its sessions, driven by a script of actions on a fake clock: polling
// handshakes, GETs and POSTs (raw bodies or known packets), WebSocket connections (new, or the
// upgrade of a polling session with its probe), frames, raw bytes and closes from the client,
// the server closing sessions, and the clock moving through heartbeat and upgrade deadlines.
// The handler echoes every message (eio-echo). WebSockets run over socket pairs in the one
// io_context, which runs until idle after every action; each action is one byte and its
// arguments (see step()). Checked: every GET body decodes as a payload, what reaches a
// WebSocket client parses as server frames, the handler hears of a session's close once and of
// nothing after it, deadlines are consumed; at the end, once the server closed everything, no
// session, request or connection is left (LeakSanitizer sees the last).
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/engineio/payload.hpp"
#include "core/server/apps.hpp"
#include "core/server/eio_session.hpp"
#include "core/server/engine.hpp"
#include "core/wsframe/frame.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tests/fuzz/fuzz_target.hpp"
#include "tests/support/loopback.hpp"

namespace {

namespace srv = sio::server;
namespace net = sio::net;
namespace http = sio::http;
using namespace std::chrono_literals;

constexpr std::size_t max_peers = 6;
const std::string packets[] = {"3", "2", "1", "4hello", "6", "5", "bAQID", "2probe", "4"};
const std::chrono::milliseconds steps[] = {1ms, 999ms, 5s, 10s, 20s, 25s};

// Sees what the engine tells the layer above, and echoes messages.
struct echo_handler final : sio::engineio::connection_handler {
  void on_open(sio::engineio::connection& c) override { SIO_FUZZ_ASSERT(open.insert(c.sid()).second); }
  void on_message(sio::engineio::connection& c, std::string_view data, bool binary) override {
    SIO_FUZZ_ASSERT(open.count(c.sid()));
    echo.on_message(c, data, binary);
  }
  void on_close(sio::engineio::connection& c, std::string_view) override { SIO_FUZZ_ASSERT(open.erase(c.sid())); }
  std::set<std::string> open;
  srv::eio_echo_handler echo;
};

// The client's end of a WebSocket: what it reads must be an HTTP response, then server frames.
struct peer final : sio::wsframe::frame_sink {
  int fd = -1;
  std::string response;  // the HTTP upgrade response
  bool upgraded = false, rejected = false;
  sio::wsframe::reader frames{1u << 20, false};
  std::string held;
  std::vector<std::string>* sids = nullptr;

  void on_message(std::string_view data, bool binary) override {
    // A new WebSocket session's open packet names its sid.
    const auto at = data.find("\"sid\":\"");
    if (!binary && data.starts_with("0{") && at != std::string_view::npos) sids->emplace_back(data.substr(at + 7, 20));
  }
  void on_control(sio::wsframe::opcode, std::string_view) override {}

  void drain() {
    char buf[4096];
    for (;;) {
      const ssize_t n = fd < 0 ? 0 : ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) return;
      std::string_view in(buf, static_cast<std::size_t>(n));
      if (!upgraded && !rejected) {
        response.append(in);
        const auto end = response.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        upgraded = response.starts_with("HTTP/1.1 101 ");
        rejected = !upgraded;
        in = std::string_view(response).substr(end + 4);
        held.append(in);
      } else if (upgraded) {
        held.append(in);
      }
      if (!upgraded) continue;
      auto used = frames.consume(held.data(), held.size(), *this);
      SIO_FUZZ_ASSERT(used.has_value());
      held.erase(0, *used);
    }
  }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  ~peer() { close(); }
};

class harness {
 public:
  harness() : engine_(io_.get_executor(), options(), handler_, [this] { return now_; }) {}

  void step(sio::fuzz::input& in) {
    switch (in.pick(10)) {
      case 0: return polling(http::verb::get, "", {});
      case 1: return polling(http::verb::get, pick_sid(in), {});
      case 2: {
        const auto s = pick_sid(in);
        const bool octets = in.byte() & 1;
        return polling(http::verb::post, s, std::string(in.bytes()), octets);
      }
      case 3: {
        const auto s = pick_sid(in);
        std::string body;
        for (std::size_t n = 1 + in.pick(4); n > 0; --n) {
          if (!body.empty()) body.push_back(sio::engineio::record_separator);
          body += packets[in.pick(std::size(packets))];
        }
        return polling(http::verb::post, s, std::move(body));
      }
      case 4: return advance(steps[in.pick(std::size(steps))]);
      case 5: return websocket(in.byte() & 1 ? pick_sid(in) : "");
      case 6: {
        peer* p = pick_peer(in);
        const std::size_t which = in.pick(std::size(packets) + 1);
        const std::string frame =
            which < std::size(packets) ? sio::test::masked(0x81, packets[which]) : sio::test::masked(0x82, "\x01\x02");
        if (p) write(*p, frame);
        return;
      }
      case 7: {
        peer* p = pick_peer(in);
        const std::string raw(in.bytes());
        if (p) write(*p, raw);
        return;
      }
      case 8:
        if (peer* p = pick_peer(in)) p->close();
        return run();
      default: {
        const auto s = pick_sid(in);
        if (auto session = engine_.find(s)) session->close("server close");
        return;
      }
    }
  }

  // Runs what is ready, and reads what the clients were sent.
  void run() {
    for (int round = 0; round < 8; ++round) {
      io_.restart();
      const auto ran = io_.poll();
      for (auto& p : peers_) p->drain();
      if (ran == 0) break;
    }
  }

  void finish() {
    engine_.close_all("fuzz over");
    run();
    for (auto& p : peers_) p->close();
    run();
    SIO_FUZZ_ASSERT(engine_.session_count() == 0);
    SIO_FUZZ_ASSERT(handler_.open.empty());
    SIO_FUZZ_ASSERT(requests_ == 0);
  }

 private:
  static srv::engine_options options() {
    srv::engine_options o;
    o.max_payload = 4096;
    o.max_buffered_bytes = 1u << 16;
    return o;
  }

  std::string pick_sid(sio::fuzz::input& in) {
    const std::size_t i = in.pick(sids_.size() + 1);
    return i < sids_.size() ? sids_[i] : "AAAAAAAAAAAAAAAAAAAA";  // a session that never was
  }

  peer* pick_peer(sio::fuzz::input& in) {
    if (peers_.empty()) return nullptr;
    peer& p = *peers_[in.pick(peers_.size())];
    return p.fd < 0 ? nullptr : &p;
  }

  void write(peer& p, std::string_view bytes) {
    // The socket pair's buffer holds far more than one action writes; what does not fit is dropped.
    if (::send(p.fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) return;
    run();  // the server reads it before the clock can move
  }

  // A long-polling request (the handshake when `sid` is empty); a GET may wait for later actions.
  void polling(http::verb method, const std::string& sid, std::string body, bool octets = false) {
    srv::http_request req{
        method, sid.empty() ? "/engine.io/?EIO=4&transport=polling" : "/engine.io/?EIO=4&transport=polling&sid=" + sid,
        11};
    if (octets) req.set(http::field::content_type, "application/octet-stream");
    req.body() = std::move(body);
    auto claim =
        method == http::verb::post ? engine_.claim_post(std::string_view(req.target())) : srv::engine::post_claim{};
    if (claim.conflict) return;
    ++requests_;
    // The request lives as long as its handler, as the HTTP front's does.
    auto handle = [this, owned = std::make_shared<const srv::http_request>(std::move(req))] {
      return engine_.handle_polling(*owned, "127.0.0.1");
    };
    net::co_spawn(io_, std::move(handle),
                  [this, handshake = sid.empty(), get = method == http::verb::get,
                   held = std::make_shared<srv::engine::post_claim>(std::move(claim))](std::exception_ptr e,
                                                                                       srv::http_response res) {
                    SIO_FUZZ_ASSERT(!e);
                    --requests_;
                    if (res.result() != http::status::ok) return;
                    if (handshake) return sids_.push_back(res.body().substr(9, 20));  // 0{"sid":"...
                    if (get) SIO_FUZZ_ASSERT(sio::engineio::decode_payload(res.body(), {1u << 20}).has_value());
                  });
    run();
  }

  // A WebSocket request: a new session when `sid` is empty, else an upgrade.
  void websocket(const std::string& sid) {
    if (peers_.size() >= max_peers) return;
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return;
    sio::tcp::socket server_end(io_);
    server_end.assign(sio::tcp::v4(), fds[0]);
    auto p = std::make_unique<peer>();
    p->fd = fds[1];
    p->sids = &sids_;
    srv::http_request req{
        http::verb::get,
        sid.empty() ? "/engine.io/?EIO=4&transport=websocket" : "/engine.io/?EIO=4&transport=websocket&sid=" + sid, 11};
    req.set(http::field::upgrade, "websocket");
    req.set(http::field::connection, "Upgrade");
    req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
    req.set(http::field::sec_websocket_version, "13");
    peers_.push_back(std::move(p));
    ++requests_;
    net::co_spawn(io_, engine_.handle_websocket(sio::beast::tcp_stream(std::move(server_end)), req, "127.0.0.1"),
                  [this](std::exception_ptr e) {
                    SIO_FUZZ_ASSERT(!e);
                    --requests_;
                  });
    run();
  }

  // Moves the clock, waking each session at its deadlines on the way as its timer would.
  void advance(std::chrono::milliseconds by) {
    const auto until = now_ + by;
    for (int wakeups = 0;; ++wakeups) {
      SIO_FUZZ_ASSERT(wakeups < 1000);  // a deadline that is never consumed
      std::shared_ptr<srv::eio_session> first;
      for (const auto& s : sids_) {
        auto session = engine_.find(s);
        if (session && session->next_deadline() <= until &&
            (!first || session->next_deadline() < first->next_deadline()))
          first = std::move(session);
      }
      if (!first) break;
      now_ = std::max(now_, first->next_deadline());
      first->on_deadline();
      run();
    }
    now_ = until;
    run();
  }

  net::io_context io_;
  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::time_point{} + 1h;
  echo_handler handler_;
  srv::engine engine_;
  std::vector<std::string> sids_;
  std::vector<std::unique_ptr<peer>> peers_;
  int requests_ = 0;  // handlers not finished
};

}  // namespace

SIO_FUZZ_TARGET(eio_session) {
  sio::fuzz::input in(data, size);
  auto h = std::make_unique<harness>();
  while (!in.done()) h->step(in);
  h->finish();
  return 0;
}

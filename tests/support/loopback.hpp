#pragma once
// A connected pair of TCP sockets on 127.0.0.1 (ephemeral port) in one io_context: one end
// for the code under test, the other for the test's raw bytes. Waits are bounded (2 s) and
// end as soon as their condition holds; nothing sleeps.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/error.hpp"
#include "core/transport/net.hpp"

namespace sio::test {

inline constexpr std::chrono::seconds wait_cap{2};

// Runs `io` until `done()` holds or the cap passes; returns done().
template <class Pred>
bool run_until(net::io_context& io, Pred done, std::chrono::steady_clock::duration cap = wait_cap) {
  const auto until = std::chrono::steady_clock::now() + cap;
  while (!done()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return done();
    io.restart();
    io.run_one_for(until - now);
  }
  return true;
}

// A client's frame with a fixed key, built by hand (so fragments and bad frames can be made):
// `b0` is the first byte (FIN and opcode).
inline std::string masked(std::uint8_t b0, std::string_view payload, std::uint32_t key = 0x37fa213d) {
  std::string out;
  out.push_back(static_cast<char>(b0));
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(0x80 | payload.size()));
  } else if (payload.size() <= 0xffff) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xff));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int i = 0; i < 8; ++i)
      out.push_back(static_cast<char>(static_cast<std::uint64_t>(payload.size()) >> (56 - 8 * i)));
  }
  const char k[4] = {static_cast<char>(key >> 24), static_cast<char>(key >> 16), static_cast<char>(key >> 8),
                     static_cast<char>(key)};
  out.append(k, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) out.push_back(static_cast<char>(payload[i] ^ k[i % 4]));
  return out;
}

struct loopback {
  loopback() {
    tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    peer.connect(acceptor.local_endpoint());
    acceptor.accept(near);
    peer.set_option(tcp::no_delay(true));  // the test's small writes go at once
  }

  void write(std::string_view bytes) { net::write(peer, net::buffer(bytes.data(), bytes.size())); }

  // What the peer has received so far, without waiting.
  std::string available() {
    std::string out(peer.available(), '\0');
    if (!out.empty()) net::read(peer, net::buffer(out));
    return out;
  }

  // Reads until `n` bytes or the cap; returns what came.
  std::string read(std::size_t n) {
    std::string out;
    run_until(io, [&] {
      out += available();
      return out.size() >= n;
    });
    return out;
  }

  // Reads until the near end closes (EOF) or the cap; `eof` tells which.
  std::string read_to_eof(bool& eof) {
    std::string out;
    eof = false;
    std::string chunk(4096, '\0');
    peer.non_blocking(true);
    run_until(io, [&] {
      for (;;) {
        error_code ec;
        const auto n = peer.read_some(net::buffer(chunk), ec);
        if (ec == net::error::would_block) return false;
        if (ec) return eof = true;  // EOF, or a reset after it
        out.append(chunk.data(), n);
      }
    });
    peer.non_blocking(false);
    return out;
  }

  net::io_context io;
  tcp::socket peer{io};  // the test's end
  tcp::socket near{io};  // handed to the code under test
};

}  // namespace sio::test

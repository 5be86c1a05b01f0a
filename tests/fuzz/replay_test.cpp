// Replays every seed of every fuzz target's corpus through the target, built by GCC.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "tests/support/process.hpp"

int sio_fuzz_eio_packet(const std::uint8_t*, std::size_t);
int sio_fuzz_eio_payload(const std::uint8_t*, std::size_t);
int sio_fuzz_sio_decoder(const std::uint8_t*, std::size_t);
int sio_fuzz_ws_frame(const std::uint8_t*, std::size_t);
int sio_fuzz_sio_server(const std::uint8_t*, std::size_t);
int sio_fuzz_eio_session(const std::uint8_t*, std::size_t);

namespace {
std::size_t replay(const std::string& target, int (*fn)(const std::uint8_t*, std::size_t)) {
  const std::filesystem::path dir = std::filesystem::path(SIO_FUZZ_CORPUS) / target;
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string bytes = sio::test::read_file(entry.path().string());
    CAPTURE(entry.path().string());
    CHECK(fn(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) == 0);
    ++count;
  }
  return count;
}
}  // namespace

TEST_CASE("fuzz seeds replay: eio_packet") { CHECK(replay("eio_packet", sio_fuzz_eio_packet) >= 10); }
TEST_CASE("fuzz seeds replay: eio_payload") { CHECK(replay("eio_payload", sio_fuzz_eio_payload) >= 10); }
TEST_CASE("fuzz seeds replay: sio_decoder") { CHECK(replay("sio_decoder", sio_fuzz_sio_decoder) >= 10); }
TEST_CASE("fuzz seeds replay: ws_frame") { CHECK(replay("ws_frame", sio_fuzz_ws_frame) >= 10); }
TEST_CASE("fuzz seeds replay: sio_server") { CHECK(replay("sio_server", sio_fuzz_sio_server) >= 10); }
TEST_CASE("fuzz seeds replay: eio_session") { CHECK(replay("eio_session", sio_fuzz_eio_session) >= 10); }

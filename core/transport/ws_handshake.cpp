#include "core/transport/ws_handshake.hpp"

#include <fmt/format.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <random>

#include "core/common/base64.hpp"

namespace sio::transport {

namespace {

constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string refusal(std::string_view status, std::string_view extra, std::string_view body) {
  return fmt::format("HTTP/1.1 {}\r\nConnection: close\r\n{}Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n{}",
                     status, extra, body.size(), body);
}

}  // namespace

std::string ws_accept_key(std::string_view key) {
  std::string input(key);
  input.append(guid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return base64::encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

ws_upgrade_check answer_ws_upgrade(std::string_view key, std::string_view version) {
  if (version != "13") {
    return {false, refusal("426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n", "unsupported WebSocket version")};
  }
  // The key is 16 random bytes in base64.
  const auto raw = base64::decode(trim(key));
  if (!raw || raw->size() != 16) return {false, refusal("400 Bad Request", "", "invalid Sec-WebSocket-Key")};
  return {true, fmt::format("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Accept: {}\r\n\r\n",
                            ws_accept_key(trim(key)))};
}

std::string ws_upgrade_request(std::string_view host, std::string_view target, std::string& key,
                               const std::vector<std::pair<std::string, std::string>>& headers) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string nonce(16, '\0');
  for (auto& c : nonce) c = static_cast<char>(rng() & 0xff);
  key = base64::encode(nonce);
  std::string out = fmt::format(
      "GET {} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {}\r\n"
      "Sec-WebSocket-Version: 13\r\nUser-Agent: sio\r\n",
      target, host, key);
  for (const auto& [name, value] : headers) out += fmt::format("{}: {}\r\n", name, value);
  out += "\r\n";
  return out;
}

std::optional<std::string> check_ws_upgrade_response(std::string_view head, std::string_view key) {
  const auto eol = head.find("\r\n");
  const std::string_view status_line = head.substr(0, eol);
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/" || status_line.substr(9, 3) != "101") {
    return fmt::format("WebSocket upgrade refused: {}", status_line);
  }
  std::size_t pos = eol == std::string_view::npos ? head.size() : eol + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    const std::string_view line = head.substr(pos, end - pos);
    pos = end + 2;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (iequals(trim(line.substr(0, colon)), "sec-websocket-accept")) {
      if (trim(line.substr(colon + 1)) == ws_accept_key(key)) return std::nullopt;
      return std::string("WebSocket upgrade: wrong Sec-WebSocket-Accept");
    }
  }
  return std::string("WebSocket upgrade: no Sec-WebSocket-Accept");
}

}  // namespace sio::transport

#pragma once
// The open packet's JSON: {"sid","upgrades","pingInterval","pingTimeout","maxPayload"}, in
// the reference's key order. Decoding is tolerant: python-socketio omits maxPayload.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.hpp"

namespace sio::engineio {

struct handshake {
  std::string sid;
  std::vector<std::string> upgrades;
  std::uint64_t ping_interval = 25000;
  std::uint64_t ping_timeout = 20000;
  std::optional<std::uint64_t> max_payload = 1'000'000;

  friend bool operator==(const handshake&, const handshake&) = default;
};

std::string encode_handshake(const handshake& h);  // the JSON, without the leading '0'
result<handshake> decode_handshake(std::string_view json);

}  // namespace sio::engineio

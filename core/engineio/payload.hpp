#pragma once
// Engine.IO v4 HTTP long-polling payloads: packets joined by the record separator 0x1e,
// binary messages written as 'b' + base64, in both directions.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.hpp"
#include "core/engineio/packet.hpp"

namespace sio::engineio {

inline constexpr char record_separator = '\x1e';

void encode_payload_append(const packet& p, std::string& out);  // one packet, no separator
std::string encode_payload(std::span<const packet> packets);

struct payload_limits {
  std::size_t max_bytes = 1'000'000;  // the whole body; the server's maxHttpBufferSize
};

// Incremental decoder: feed the body in chunks as they arrive, then finish() at its end.
// An empty record (an empty body, or two separators in a row) is an error, as in the
// reference, as is any undecodable packet. After an error the decoder stays failed.
class payload_decoder {
 public:
  explicit payload_decoder(payload_limits limits = {}) : limits_(limits) {}

  error_code feed(std::string_view chunk, std::vector<packet>& out);
  error_code finish(std::vector<packet>& out);

 private:
  error_code emit(std::vector<packet>& out);

  payload_limits limits_;
  std::string record_;
  std::size_t total_ = 0;
  error_code failed_;
};

result<std::vector<packet>> decode_payload(std::string_view body, payload_limits limits = {});

}  // namespace sio::engineio

// Engine.IO polling payload decoder: whole and in two pieces it gives the same answer, and a
// decoded payload re-encodes to one that decodes to the same packets.
#include <string>
#include <string_view>
#include <vector>

#include "core/engineio/payload.hpp"
#include "tests/fuzz/fuzz_target.hpp"

SIO_FUZZ_TARGET(eio_payload) {
  namespace eio = sio::engineio;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const eio::payload_limits limits{4096};
  auto whole = eio::decode_payload(body, limits);

  eio::payload_decoder split(limits);
  std::vector<eio::packet> parts;
  const std::size_t cut = size ? data[0] % (size + 1) : 0;
  auto ec = split.feed(body.substr(0, cut), parts);
  if (!ec) ec = split.feed(body.substr(cut), parts);
  if (!ec) ec = split.finish(parts);
  SIO_FUZZ_ASSERT(whole.has_value() == !ec);
  if (!whole) return 0;
  SIO_FUZZ_ASSERT(parts == *whole);

  auto again = eio::decode_payload(eio::encode_payload(*whole), {1u << 20});
  SIO_FUZZ_ASSERT(again && *again == *whole);
  return 0;
}

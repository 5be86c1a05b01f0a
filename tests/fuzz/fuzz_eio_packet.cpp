// Engine.IO packet decoder: any text or binary frame decodes or fails cleanly, and what
// decodes re-encodes to the same packet.
#include <string>
#include <string_view>

#include "core/engineio/packet.hpp"
#include "core/engineio/payload.hpp"
#include "tests/fuzz/fuzz_target.hpp"

SIO_FUZZ_TARGET(eio_packet) {
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  std::string scratch;
  auto p = sio::engineio::decode_text(frame, scratch);
  if (p) {
    const auto owned = p->to_packet();
    std::string again;
    sio::engineio::encode_payload_append(owned, again);
    std::string scratch2;
    auto q = sio::engineio::decode_text(again, scratch2);
    SIO_FUZZ_ASSERT(q && q->to_packet() == owned);
  }
  auto bin = sio::engineio::decode_binary(frame);
  SIO_FUZZ_ASSERT(bin.binary && bin.data.size() == size);
  return 0;
}

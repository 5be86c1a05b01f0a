// Socket.IO decoder: the input is a sequence of messages (first byte of each: 0x01 text or
// 0x02 binary, then a length byte). Nothing crashes; every whole packet re-encodes to a header
// that decodes to the same packet.
#include <string>
#include <string_view>

#include "core/socketio/decoder.hpp"
#include "core/socketio/encoder.hpp"
#include "tests/fuzz/fuzz_target.hpp"

SIO_FUZZ_TARGET(sio_decoder) {
  namespace sio_ = sio::socketio;
  const sio_::decoder_limits limits{4, 4096, 32};
  sio_::decoder d(limits);
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // A bare input (no framing bytes) is one text message: seeds stay readable.
  if (in.empty() || (in[0] != '\x01' && in[0] != '\x02')) {
    auto h = sio_::decode_header(in, limits);
    if (h && h->expected_attachments == 0) {
      auto again = sio_::decode_header(sio_::encode(h->pkt), limits);
      SIO_FUZZ_ASSERT(again && again->pkt == h->pkt);
    }
    return 0;
  }
  while (in.size() >= 2) {
    const bool binary = in[0] == '\x02';
    const std::size_t len = std::min<std::size_t>(static_cast<unsigned char>(in[1]), in.size() - 2);
    const std::string_view msg = in.substr(2, len);
    in.remove_prefix(2 + len);
    auto r = binary ? d.on_binary(msg) : d.on_text(msg);
    if (!r) {
      d.reset();
      continue;
    }
    if (!r->has_value()) continue;
    const sio_::packet& p = **r;
    sio_::decoder check(limits);
    auto first = check.on_text(sio_::encode(p));
    SIO_FUZZ_ASSERT(first.has_value());
    std::optional<sio_::packet> rebuilt = *first;
    for (const auto& a : p.attachments) {
      SIO_FUZZ_ASSERT(!rebuilt.has_value());
      auto next = check.on_binary(a);
      SIO_FUZZ_ASSERT(next.has_value());
      rebuilt = *next;
    }
    SIO_FUZZ_ASSERT(rebuilt.has_value() && *rebuilt == p);
  }
  return 0;
}

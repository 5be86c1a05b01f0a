#include "core/engineio/payload.hpp"

#include "core/common/base64.hpp"

namespace sio::engineio {

void encode_payload_append(const packet& p, std::string& out) {
  if (p.binary) {
    out.push_back('b');
    base64::encode_append(p.data, out);
  } else {
    encode_text_append(p.type, p.data, out);
  }
}

std::string encode_payload(std::span<const packet> packets) {
  std::string out;
  for (std::size_t i = 0; i < packets.size(); ++i) {
    if (i) out.push_back(record_separator);
    encode_payload_append(packets[i], out);
  }
  return out;
}

error_code payload_decoder::emit(std::vector<packet>& out) {
  std::string scratch;
  auto decoded = decode_text(record_, scratch);
  record_.clear();
  if (!decoded) return failed_ = decoded.error();
  out.push_back(decoded->to_packet());
  return {};
}

error_code payload_decoder::feed(std::string_view chunk, std::vector<packet>& out) {
  if (failed_) return failed_;
  total_ += chunk.size();
  if (total_ > limits_.max_bytes) return failed_ = codec_error::payload_too_large;
  while (!chunk.empty()) {
    const auto sep = chunk.find(record_separator);
    if (sep == std::string_view::npos) {
      record_.append(chunk);
      break;
    }
    record_.append(chunk.substr(0, sep));
    chunk.remove_prefix(sep + 1);
    if (auto ec = emit(out)) return ec;
  }
  return {};
}

error_code payload_decoder::finish(std::vector<packet>& out) {
  if (failed_) return failed_;
  return emit(out);
}

result<std::vector<packet>> decode_payload(std::string_view body, payload_limits limits) {
  payload_decoder decoder(limits);
  std::vector<packet> out;
  if (auto ec = decoder.feed(body, out)) return ec;
  if (auto ec = decoder.finish(out)) return ec;
  return out;
}

}  // namespace sio::engineio

#pragma once
// Standard base64 (RFC 4648 §4, with padding), as Engine.IO uses for binary over polling.
#include <optional>
#include <string>
#include <string_view>

namespace sio::base64 {

std::string encode(std::string_view bytes);
void encode_append(std::string_view bytes, std::string& out);

// Strict: rejects characters outside the alphabet, bad padding and bad lengths.
// Node's Buffer.from(s, "base64") is lenient; a strict decoder turns garbage into a clear error.
std::optional<std::string> decode(std::string_view text);

constexpr std::size_t encoded_size(std::size_t n) { return (n + 2) / 3 * 4; }

}  // namespace sio::base64

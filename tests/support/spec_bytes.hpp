#pragma once
// Byte strings written the way protocol traces show them: hex pairs, and "text" for the bytes of
// the text; and the reverse, bytes as lowercase hex, for readable failure messages.
#include <string>
#include <string_view>

namespace sio::test {

inline std::string spec_bytes(std::string_view spec) {
  std::string out;
  for (std::size_t i = 0; i < spec.size();) {
    const char c = spec[i];
    if (c == ' ' || c == '\n') {
      ++i;
    } else if (c == '"') {
      const std::size_t end = spec.find('"', i + 1);
      out.append(spec.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      out.push_back(static_cast<char>(std::stoi(std::string(spec.substr(i, 2)), nullptr, 16)));
      i += 2;
    }
  }
  return out;
}

inline std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

}  // namespace sio::test

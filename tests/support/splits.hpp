#pragma once
// Ways of cutting an input into chunks, for feeding incremental decoders: whole, byte by
// byte, and random cuts from a fixed seed (so a failure is reproducible).
#include <cstddef>
#include <random>
#include <string_view>
#include <vector>

namespace sio::test {

inline std::vector<std::vector<std::string_view>> splits_of(std::string_view s, int random_rounds = 20) {
  std::vector<std::vector<std::string_view>> all;
  all.push_back({s});
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < s.size(); ++i) bytes.push_back(s.substr(i, 1));
  all.push_back(bytes);
  std::mt19937 rng(12345);
  for (int round = 0; round < random_rounds; ++round) {
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (pos < s.size()) {
      std::uniform_int_distribution<std::size_t> len(0, s.size() - pos);
      const std::size_t n = len(rng);
      parts.push_back(s.substr(pos, n));  // empty chunks are legal input too
      pos += n;
    }
    all.push_back(parts);
  }
  return all;
}

}  // namespace sio::test

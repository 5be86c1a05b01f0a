#include "core/engineio/sid.hpp"

#include <sys/random.h>

#include <array>
#include <cstdint>
#include <stdexcept>

#include "core/common/base64.hpp"

namespace sio::engineio {

std::string generate_sid() {
  std::array<unsigned char, 15> bytes{};
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n <= 0) throw std::runtime_error("getrandom failed");
    got += static_cast<std::size_t>(n);
  }
  std::string id = base64::encode({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
  for (char& c : id) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return id;
}

}  // namespace sio::engineio

// WebSocket frame reader: any bytes are consumed or refused cleanly, for both roles, and
// feeding them in two pieces delivers exactly what feeding them whole does.
#include <string>
#include <string_view>
#include <vector>

#include "core/wsframe/frame.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace {

struct record : sio::wsframe::frame_sink {
  std::string log;
  void on_message(std::string_view d, bool b) override {
    log += b ? 'B' : 'T';
    log += std::to_string(d.size()) + ':';
    log.append(d);
  }
  void on_control(sio::wsframe::opcode op, std::string_view p) override {
    log += 'C';
    log += std::to_string(static_cast<int>(op)) + ':';
    log.append(p);
  }
};

// Returns the log, and whether the reader refused the input.
std::pair<std::string, bool> run(std::string_view input, bool server, std::size_t cut) {
  sio::wsframe::reader r(4096, server);
  record out;
  std::string held;
  for (std::string_view piece : {input.substr(0, cut), input.substr(cut)}) {
    held.append(piece);
    auto used = r.consume(held.data(), held.size(), out);
    if (!used) return {out.log, true};
    SIO_FUZZ_ASSERT(*used <= held.size());
    held.erase(0, *used);
  }
  return {out.log, false};
}

}  // namespace

SIO_FUZZ_TARGET(ws_frame) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (bool server : {true, false}) {
    const auto whole = run(input, server, input.size());
    const auto split = run(input, server, size ? data[0] % (size + 1) : 0);
    SIO_FUZZ_ASSERT(whole == split);
  }
  return 0;
}

#pragma once
// --ack-with ARG (sio listen, sio connect): answer the events a server emits with a callback
// (socket.emit(..., cb), io.timeout(ms).emit(..., cb)) with fixed arguments, so that the
// server's callback runs instead of timing out.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cmd/event_args.hpp"
#include "core/client/sio_client.hpp"

namespace sio::cmd {

void add_ack_with_flag(CLI::App* cmd, std::vector<std::string>& texts);

class ack_answer {
 public:
  // Parses the arguments once, as `sio emit` does; throws CLI::ValidationError on a bad @FILE
  // or $binary (exit 2).
  explicit ack_answer(const std::vector<std::string>& texts);
  // Answers `ev` when it asks for an ack and --ack-with was given.
  void maybe_answer(client::sio_client& client, const client::incoming_event& ev) const;

 private:
  bool enabled_;
  event_args args_;
};

}  // namespace sio::cmd

#pragma once
// --ack-with ARG (sio listen, sio connect): answer the events a server emits with a callback
// (socket.emit(..., cb), io.timeout(ms).emit(..., cb)) with fixed arguments, so that the
// server's callback runs instead of timing out. --ack-with-arg, --ack-with-json and
// --ack-with-file are its explicit forms, as --arg, --json-arg and --file-arg are sio emit's.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cmd/event_args.hpp"
#include "core/client/sio_client.hpp"

namespace sio::cmd {

struct ack_with_cli {
  std::vector<std::string> detect, strings, json, files;  // bound only: read via `ordered`
  std::vector<arg_text> ordered;                          // the ack's arguments
};

void add_ack_with_flags(CLI::App* cmd, ack_with_cli& o);
// Fills o.ordered; call after parsing.
void collect_ack_with(const CLI::App& cmd, ack_with_cli& o);

class ack_answer {
 public:
  // Parses the arguments once, as `sio emit` does; throws CLI::ValidationError on a bad one
  // (exit 2). `input` says whether @- may read stdin.
  ack_answer(const std::vector<arg_text>& args, arg_input input);
  // Answers `ev` when it asks for an ack and --ack-with was given.
  void maybe_answer(client::sio_client& client, const client::incoming_event& ev) const;

 private:
  bool enabled_;
  event_args args_;
};

}  // namespace sio::cmd

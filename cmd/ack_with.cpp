#include "cmd/ack_with.hpp"

#include "cmd/bracket_args.hpp"

namespace sio::cmd {

void add_ack_with_flag(CLI::App* cmd, std::vector<std::string>& texts) {
  cmd->add_option("--ack-with", texts,
                  "Answer events that ask for an ack with these arguments (repeatable; JSON or text, "
                  "@FILE for binary)")
      ->allow_extra_args(false);
}

ack_answer::ack_answer(const std::vector<std::string>& texts) : enabled_(!texts.empty()) {
  try {
    for (const auto& text : texts) add_arg(args_, unprotect_brackets(text));
  } catch (const std::invalid_argument& x) {
    throw CLI::ValidationError("--ack-with", x.what());
  }
}

void ack_answer::maybe_answer(client::sio_client& client, const client::incoming_event& ev) const {
  if (enabled_ && ev.ack_id) client.ack(ev.nsp, *ev.ack_id, args_.json, args_.attachments);
}

}  // namespace sio::cmd

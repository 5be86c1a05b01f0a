#include "cmd/ack_with.hpp"

#include "cmd/arg_flags.hpp"

namespace sio::cmd {

void add_ack_with_flags(CLI::App* cmd, ack_with_cli& o) {
  cmd->add_option("--ack-with", o.detect,
                  "Answer events that ask for an ack with these arguments (repeatable; read as sio emit's ARG: "
                  "JSON, else text; @FILE binary)")
      ->allow_extra_args(false);
  cmd->add_option("--ack-with-arg", o.strings, "Like --ack-with, but always this string, whatever it looks like")
      ->allow_extra_args(false);
  cmd->add_option("--ack-with-json", o.json, "Like --ack-with, but must be valid JSON (else exit 2)")
      ->allow_extra_args(false);
  cmd->add_option("--ack-with-file", o.files, "Like --ack-with, but this file's bytes as binary; - for stdin")
      ->allow_extra_args(false);
}

void collect_ack_with(const CLI::App& cmd, ack_with_cli& o) {
  o.ordered = args_in_order(cmd, {{"--ack-with", arg_form::detect},
                                  {"--ack-with-arg", arg_form::string},
                                  {"--ack-with-json", arg_form::json},
                                  {"--ack-with-file", arg_form::file}});
}

ack_answer::ack_answer(const std::vector<arg_text>& args, arg_input input) : enabled_(!args.empty()) {
  input.string_hint = "--ack-with-arg sends it as a string";
  args_ = parse_cli_args(args, input);
}

void ack_answer::maybe_answer(client::sio_client& client, const client::incoming_event& ev) const {
  if (enabled_ && ev.ack_id) client.ack(ev.nsp, *ev.ack_id, args_.json, args_.attachments);
}

}  // namespace sio::cmd

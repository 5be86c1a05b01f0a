// sio connect: an interactive client on a terminal; with stdin not a terminal, a pipe
// (each input line an emit, each incoming event an output line).
#include <fmt/core.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <set>
#include <thread>

#include "cmd/ack_with.hpp"
#include "cmd/byte_size.hpp"
#include "cmd/client_session.hpp"
#include "cmd/color.hpp"
#include "cmd/event_args.hpp"
#include "cmd/event_printer.hpp"
#include "cmd/exit_codes.hpp"
#include "cmd/input_line.hpp"
#include "cmd/line_editor.hpp"
#include "cmd/subcommand.hpp"
#include "core/common/json_scan.hpp"

namespace sio::cmd {

namespace {

struct connect_cli {
  client_cli client;
  seconds_f ack_timeout{10};
  seconds_f wait{0};  // pipe mode: keep listening this long after the input ends
  ack_with_cli ack_with;
  std::string color = "auto";
};

// stdin carries the input lines: @- has nothing to read.
arg_input connect_input() { return {nullptr, "@- cannot be used in sio connect: stdin is its input", ""}; }

constexpr const char* help_text =
    "EVENT [ARG...]          emit (each ARG is JSON if it parses, else a string;\n"
    "                        @FILE binary, @@TEXT the string @TEXT)\n"
    "[\"EVENT\", ARG...]       the same as one JSON array\n"
    "/ack EVENT [ARG...]     emit and wait for the ack\n"
    "/join NSP [AUTH]        connect to another namespace\n"
    "/leave NSP              leave a namespace\n"
    "/nsp NSP                send the following emits to NSP\n"
    "/quit                   disconnect and exit (also Ctrl-D)";

class connect_session final : public client_session {
 public:
  connect_session(const connect_cli& o, client::client_options options, std::string nsp, bool tty)
      : client_session("sio connect", o.client, std::move(options), nsp),
        o_(o),
        tty_(tty),
        current_(nsp),
        answer_(o.ack_with.ordered, connect_input()) {
    colour_ = use_color(o.color, STDOUT_FILENO);
  }
  // On every way out, an exception too: the key reader is stopped before the editor restores the terminal.
  ~connect_session() override {
    if (editor_) editor_->cancel();
    if (reader_.joinable()) reader_.join();
  }

  int start() {
    if (tty_) {
      editor_ = std::make_unique<line_editor>(prompt());
      editor_->print(paint("2", fmt::format("connecting to {} ... (/help for commands, Ctrl-D to quit)", cli_.url)));
    }
    // stdin is read on a thread of its own (a file or a terminal cannot be polled by Asio);
    // each line is handed to the event loop.
    if (editor_)
      reader_ = std::thread([this] { read_terminal(); });
    else
      std::thread([this] { read_input(); }).detach();
    return run();
  }

 private:
  std::string paint(const char* sgr, std::string_view text) const {
    return colour_ ? fmt::format("\x1b[{}m{}\x1b[0m", sgr, text) : std::string(text);
  }
  std::string prompt() const { return paint("1", current_) + "> "; }

  void show(std::string_view text) {
    if (editor_)
      editor_->print(text);
    else
      print_line(text);
  }
  void info(std::string_view text) {
    if (cli_.quiet) return;
    if (editor_)
      editor_->print(paint("2", text));
    else
      log(text);
  }
  void problem(std::string_view text) {
    if (editor_)
      editor_->print(paint("31", text));
    else
      log(text);
  }

  // Status messages of the session (connect errors, reconnecting) go above the prompt too.
  void log(std::string_view message) const override {
    if (editor_)
      editor_->print(fmt::format("{}: {}", name_, message), STDERR_FILENO);
    else
      client_session::log(message);
  }

  // Ctrl-D is /quit: at once, whether connected, still connecting or reconnecting.
  void read_terminal() {
    std::string line;
    for (;;) {
      switch (editor_->read_line(line)) {
        case line_editor::status::line: net::post(ioc_, [this, line] { on_line(line); }); break;
        case line_editor::status::eof: net::post(ioc_, [this] { quit(); }); return;
        case line_editor::status::interrupt: net::post(ioc_, [this] { finish(exit_interrupted); }); return;
        case line_editor::status::closed: return;
      }
    }
  }

  void quit() {
    input_closed_ = true;
    finish(failures_ ? exit_failure : exit_ok);
  }

  void read_input() {
    std::string line;
    while (std::getline(std::cin, line)) net::post(ioc_, [this, line] { on_line(line); });
    net::post(ioc_, [this] {
      input_closed_ = true;
      maybe_done();
    });
  }

  // Input is over once every namespace asked for is connected (so buffered emits went out)
  // and every ack has come back or timed out; then --wait keeps listening for replies.
  void maybe_done() {
    if (!input_closed_ || finished() || lingering_) return;
    if (client_->pending_acks() > 0 || !awaiting_connect_.empty()) return;
    lingering_ = o_.wait.count() > 0;
    if (lingering_)
      finish_after(to_ms(o_.wait), failures_ ? exit_failure : exit_ok);
    else
      finish(failures_ ? exit_failure : exit_ok);
  }

  void on_line(const std::string& text) {
    if (finished()) return;
    const auto line = parse_input_line(text);
    switch (line.kind) {
      case line_kind::none: return;
      case line_kind::error: problem(line.error); return;
      case line_kind::help: show(help_text); return;
      case line_kind::quit: quit(); return;
      case line_kind::use_nsp:
        current_ = line.nsp;
        join(current_, "");
        if (editor_) editor_->set_prompt(prompt());
        return;
      case line_kind::join: join(line.nsp, line.args.empty() ? "" : line.args[0]); return;
      case line_kind::leave:
        client_->leave(line.nsp);
        awaiting_connect_.erase(line.nsp);  // no reply will come for it now
        maybe_done();
        return;
      case line_kind::emit:
      case line_kind::ack: emit(line); return;
    }
  }

  void join(const std::string& nsp, const std::string& auth) {
    if (client_->is_connected(nsp) || awaiting_connect_.count(nsp)) return;
    awaiting_connect_.insert(nsp);
    client_->join(nsp, auth.empty() ? cli_.auth : auth);
  }

  void emit(const input_line& line) {
    event_args args;
    auto input = connect_input();
    input.string_hint = "quote it, \"...\", to send it as a string";
    try {
      for (const auto& a : line.args) add_arg(args, {arg_form::detect, a, ""}, input);
    } catch (const std::invalid_argument& e) {
      problem(e.what());
      return;
    }
    if (line.kind == line_kind::emit) {
      if (auto big = client_->emit(current_, line.event, args.json, std::move(args.attachments))) refused(*big);
      return;
    }
    const std::string nsp = current_, event = line.event;
    const auto timeout = to_ms(o_.ack_timeout);
    auto big = client_->emit(
        nsp, event, args.json, std::move(args.attachments),
        [this, nsp, event](const client::ack_result& r) {
          if (!r.error.empty()) {
            ++failures_;
            problem(fmt::format("no ack for {}: {}", event, r.error));
          } else if (cli_.json) {
            show(fmt::format(R"({{"time":"{}","type":"ack","nsp":{},"event":{},"args":{}}})", now_iso8601(),
                             json::quote(nsp), json::quote(event), ack_array(r)));
          } else {
            show(fmt::format("{} {}{} {}", paint("32", "ack"), nsp == "/" ? "" : nsp + " ", event, ack_array(r)));
          }
          maybe_done();
        },
        timeout);
    if (big) refused(*big);
  }
  void refused(const client::oversize& big) {
    ++failures_;
    problem("event not sent: " + exceeds_max_payload(big.size, big.limit));
    maybe_done();
  }

  void on_connect(const std::string& nsp, const std::string& sid) override {
    awaiting_connect_.erase(nsp);
    info(fmt::format("connected to {} as {} ({})", nsp, sid, client_->transport_name()));
    if (cli_.json) show(connected_record(nsp, sid, client_->transport_name(), cli_.url));
    maybe_done();
  }
  void on_connect_error(const std::string& nsp, const std::string& message, std::string_view data) override {
    awaiting_connect_.erase(nsp);
    ++failures_;
    problem(fmt::format("connect_error on {}: {}{}", nsp, message, data.empty() ? "" : fmt::format(" {}", data)));
    // The first namespace is the one the user asked for: without it there is nothing to do.
    if (nsp == nsp_)
      finish(exit_failure);
    else
      maybe_done();
  }
  void on_disconnect(const std::string& nsp, std::string_view reason) override {
    if (!finished()) info(fmt::format("disconnected from {}: {}", nsp, reason));
  }
  void on_event(const client::incoming_event& ev) override {
    if (finished()) return;
    answer_.maybe_answer(*client_, ev);
    if (cli_.json) {
      show(format_event(ev, true));
      return;
    }
    // As format_event() has it, painted; on the terminal after the time of day.
    std::string text = editor_ ? paint("2", now_iso8601().substr(11, 12)) + " " : "";
    if (ev.nsp != "/") text += paint("35", ev.nsp) + " ";
    show(text + paint("36", ev.name) + args_words(ev));
  }

  const connect_cli& o_;
  bool tty_;
  bool colour_ = false;
  std::string current_;
  std::unique_ptr<line_editor> editor_;
  std::thread reader_;  // reads keys on a terminal; joined by the destructor
  bool input_closed_ = false;
  bool lingering_ = false;                        // input over, listening for --wait
  std::set<std::string> awaiting_connect_{nsp_};  // asked for, no CONNECT reply yet
  unsigned failures_ = 0;
  ack_answer answer_;
};

int run_connect(const connect_cli& o) {
  std::string nsp;
  auto options = make_client_options(o.client, nsp);
  const bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  connect_session session(o, std::move(options), std::move(nsp), tty);
  return session.start();
}

}  // namespace

void register_connect(CLI::App& app, runner& run) {
  auto o = std::make_shared<connect_cli>();
  auto* cmd = app.add_subcommand("connect", "Interactive client; with stdin not a terminal, lines in and events out");
  add_client_flags(cmd, o->client, true);
  add_net_flags(cmd, o->client.net);
  add_timeout_flag(cmd, o->client);
  add_duration_option(cmd, "--ack-timeout", o->ack_timeout, "Wait this long for each ack (/ack); 0: forever",
                      bare_unit::seconds, true);
  add_duration_option(cmd, "-w,--wait", o->wait,
                      "With stdin not a terminal: keep printing events this long after the input ends",
                      bare_unit::seconds, true);
  add_ack_with_flags(cmd, o->ack_with);
  add_color_flag(cmd, o->color);
  cmd->footer(R"(Input lines:
  EVENT [ARG...]          emit; each ARG is JSON if it parses, else a string (text starting
                          with { [ or " must be JSON); @FILE binary, @@TEXT the string @TEXT
  ["EVENT", ARG...]       the same, as one JSON array
  /ack EVENT [ARG...]     emit and wait for the ack (printed as `ack EVENT [args]`)
  /join NSP [AUTH]        connect to another namespace;  /leave NSP;  /nsp NSP
  /help, /quit

Examples:
  sio connect http://127.0.0.1:3000                       interactive session
  echo 'chat "hi"' | sio connect http://127.0.0.1:3000     one emit, then exit
  echo 'chat "hi"' | sio connect http://127.0.0.1:3000 -w 1s   ... and print what arrives within 1 s
  sio connect http://127.0.0.1:3000 --json < script.txt   replay a file, NDJSON out
  sio connect http://127.0.0.1:3000 --ack-with ok         answer the server's ack requests with "ok"
  sio connect http://127.0.0.1:3000 --ack-timeout 500ms < script.txt   fail fast on a missing ack
  sio connect http://127.0.0.1:3000 --color=always < script.txt | less -R   colour through a pipe
  sio connect http://127.0.0.1:3000 -v 2> trace.log        every packet, timed, in a file

With stdin not a terminal, sio connect exits when input ends and every ack has come back
(exit 1 if an ack timed out or a namespace refused the connection), or --wait later. With --json, every connect
is a record too: {"time":"...","type":"connected","nsp":"/","sid":"...","transport":"...","url":"..."}.
Colour (--color auto): when stdout is a terminal and NO_COLOR is not set; never in --json records.
Durations take a unit: 500ms, 5s, 2m (a bare number is seconds; --reconnect-delay's is ms).)");
  cmd->callback([o, cmd, &run] {
    collect_ack_with(*cmd, o->ack_with);
    run = [o] { return run_connect(*o); };
  });
}

}  // namespace sio::cmd

// Event arguments (cmd/event_args.hpp, cmd/arg_flags.hpp): every form, the order of mixed forms on
// a command line, and the exact error of each bad input.
#include <doctest/doctest.h>

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cmd/arg_flags.hpp"
#include "cmd/bracket_args.hpp"
#include "cmd/event_args.hpp"

using sio::cmd::add_arg;
using sio::cmd::arg_form;
using sio::cmd::arg_input;
using sio::cmd::arg_text;
using sio::cmd::event_args;

namespace {

const std::string ph0 = R"({"_placeholder":true,"num":0})";

event_args one(arg_form form, const std::string& text, arg_input& input) {
  event_args out;
  add_arg(out, {form, text, "ARG"}, input);
  return out;
}

event_args one(arg_form form, const std::string& text) {
  arg_input input{nullptr, "no stdin here", "HINT"};
  return one(form, text, input);
}

std::string error_of(arg_form form, const std::string& text, arg_input& input) {
  try {
    one(form, text, input);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

std::string error_of(arg_form form, const std::string& text) {
  arg_input input{nullptr, "no stdin here", "HINT"};
  return error_of(form, text, input);
}

// A file in /tmp for the life of a test case, named after the process so that runs in parallel
// do not meet.
class temp_file {
 public:
  temp_file(const std::string& name, const std::string& bytes)
      : path_("/tmp/sio_event_args_test_" + std::to_string(::getpid()) + "_" + name) {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~temp_file() { std::remove(path_.c_str()); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

TEST_CASE("event args: a bare argument is JSON if it parses, else a string") {
  struct row {
    const char* text;
    const char* json;
  };
  const row rows[] = {
      {"42", "42"},           {"-1.5e3", "-1.5e3"},         {"true", "true"},
      {"null", "null"},       {"hello", R"("hello")"},      {"two words", R"("two words")"},
      {R"("42")", R"("42")"}, {R"({"a":1})", R"({"a":1})"}, {"[1, 2]", "[1, 2]"},
      {"", R"("")"},          {"1.2.3", R"("1.2.3")"},      {"@", R"("@")"},
      {"tru", R"("tru")"},    {"a\"b", R"("a\"b")"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto out = one(arg_form::detect, r.text);
    REQUIRE(out.json.size() == 1);
    CHECK(out.json[0] == r.json);
    CHECK(out.attachments.empty());
  }
}

TEST_CASE("event args: @@TEXT is the string @TEXT, @PATH a file, @- stdin") {
  CHECK(one(arg_form::detect, "@@alice").json == std::vector<std::string>{R"("@alice")"});
  CHECK(one(arg_form::detect, "@@").json == std::vector<std::string>{R"("@")"});
  CHECK(one(arg_form::detect, "@@-").json == std::vector<std::string>{R"("@-")"});

  const temp_file tmp("file", std::string("a\0b", 3));
  const auto& path = tmp.path();
  auto file = one(arg_form::detect, "@" + path);
  CHECK(file.json == std::vector<std::string>{ph0});
  CHECK(file.attachments == std::vector<std::string>{std::string("a\0b", 3)});

  std::istringstream in(std::string("\x00\xff", 2));
  arg_input input{&in, "", ""};
  auto piped = one(arg_form::detect, "@-", input);
  CHECK(piped.json == std::vector<std::string>{ph0});
  CHECK(piped.attachments == std::vector<std::string>{std::string("\x00\xff", 2)});
  CHECK(input.stdin_used);
}

TEST_CASE("event args: the explicit forms take the text as they say, whatever it looks like") {
  const std::pair<const char*, const char*> strings[] = {
      {"123", R"("123")"},          {"true", R"("true")"}, {"@alice", R"("@alice")"}, {"@-", R"("@-")"},
      {R"({"a":)", R"("{\"a\":")"}, {"", R"("")"},         {"[1,2]", R"("[1,2]")"},
  };
  for (const auto& [text, json] : strings) {
    CAPTURE(text);
    CHECK(one(arg_form::string, text).json == std::vector<std::string>{json});
  }
  CHECK(one(arg_form::json, R"( {"a": [1]} )").json == std::vector<std::string>{R"( {"a": [1]} )"});
  CHECK(one(arg_form::json, R"("x")").json == std::vector<std::string>{R"("x")"});
  auto bin = one(arg_form::json, R"({"k":{"$binary":"AQID"}})");
  CHECK(bin.json == std::vector<std::string>{R"({"k":{"_placeholder":true,"num":0}})"});
  CHECK(bin.attachments == std::vector<std::string>{"\x01\x02\x03"});

  const temp_file tmp("named", "bytes");
  const auto& path = tmp.path();
  CHECK(one(arg_form::file, path).attachments == std::vector<std::string>{"bytes"});
  std::istringstream in("piped");
  arg_input input{&in, "", ""};
  CHECK(one(arg_form::file, "-", input).attachments == std::vector<std::string>{"piped"});
}

TEST_CASE("event args: attachments are numbered across arguments") {
  std::istringstream in("S");
  arg_input input{&in, "", ""};
  event_args out;
  const temp_file tmp("f", "F");
  const auto& path = tmp.path();
  add_arg(out, {arg_form::json, R"({"$binary":"AQ=="})", "--json-arg"}, input);
  add_arg(out, {arg_form::detect, "@" + path, "ARG"}, input);
  add_arg(out, {arg_form::string, "s", "--arg"}, input);
  add_arg(out, {arg_form::file, "-", "--file-arg"}, input);
  CHECK(out.json == std::vector<std::string>{ph0, R"({"_placeholder":true,"num":1})", R"("s")",
                                             R"({"_placeholder":true,"num":2})"});
  CHECK(out.attachments == std::vector<std::string>{"\x01", "F", "S"});
}

TEST_CASE("event args: errors, exact") {
  CHECK(error_of(arg_form::detect, R"({"a":)") == R"(not valid JSON: {"a": (HINT))");
  CHECK(error_of(arg_form::detect, "[1,") == "not valid JSON: [1, (HINT)");
  CHECK(error_of(arg_form::detect, R"("open)") == R"(not valid JSON: "open (HINT))");
  CHECK(error_of(arg_form::json, R"({"a":)") == R"(not valid JSON: {"a":)");
  CHECK(error_of(arg_form::json, "hello") == "not valid JSON: hello");
  CHECK(error_of(arg_form::json, std::string(50, '[')) == "not valid JSON: " + std::string(40, '[') + "...");
  CHECK(error_of(arg_form::detect, "@/nonexistent/x") == "cannot read /nonexistent/x: No such file or directory");
  CHECK(error_of(arg_form::file, "/nonexistent/y") == "cannot read /nonexistent/y: No such file or directory");
  CHECK(error_of(arg_form::detect, "@-") == "no stdin here");
  CHECK(error_of(arg_form::file, "-") == "no stdin here");
  CHECK(error_of(arg_form::json, R"({"$binary":"!!"})").find("base64") != std::string::npos);

  std::istringstream in("once");
  arg_input input{&in, "", ""};
  CHECK(error_of(arg_form::detect, "@-", input) == "(no error)");
  CHECK(error_of(arg_form::file, "-", input) == "stdin can be read only once (@- or --file-arg -)");
}

TEST_CASE("event args: stdin and files are capped at 16 MiB") {
  const std::size_t cap = sio::cmd::max_file_arg_bytes;
  REQUIRE(cap == 16u << 20);
  std::istringstream at(std::string(cap, 'x'));
  arg_input ok{&at, "", ""};
  CHECK(one(arg_form::detect, "@-", ok).attachments.at(0).size() == cap);
  std::istringstream over(std::string(cap + 1, 'x'));
  arg_input big{&over, "", ""};
  CHECK(error_of(arg_form::detect, "@-", big) == "stdin is larger than 16 MiB");
  const temp_file tmp("big", std::string(cap + 1, 'y'));
  const auto& path = tmp.path();
  CHECK(error_of(arg_form::file, path) == path + " is larger than 16 MiB");
}

namespace {

// sio emit's argument options on an App of its own, parsed from `argv` (after the program name).
std::vector<arg_text> emit_order(std::vector<std::string> argv) {
  CLI::App app;
  std::string url, event;
  std::vector<std::string> args, strings, jsons, files;
  app.add_option("url", url);
  app.add_option("event", event);
  app.add_option("args", args);
  app.add_option("--arg", strings)->allow_extra_args(false);
  app.add_option("--json-arg", jsons)->allow_extra_args(false);
  app.add_option("--file-arg", files)->allow_extra_args(false);
  std::vector<char*> c{const_cast<char*>("sio")};
  for (auto& a : argv) c.push_back(a.data());
  auto protected_args = sio::cmd::protect_brackets(static_cast<int>(c.size()), c.data());
  app.parse(protected_args);
  return sio::cmd::args_in_order(app, {{"args", arg_form::detect},
                                       {"--arg", arg_form::string},
                                       {"--json-arg", arg_form::json},
                                       {"--file-arg", arg_form::file}});
}

std::string describe(const std::vector<arg_text>& args) {
  std::string out;
  for (const auto& a : args) out += a.flag + "=" + a.text + " ";
  return out;
}

}  // namespace

TEST_CASE("event args: bare and explicit arguments keep the command line's order") {
  CHECK(describe(emit_order({"URL", "ev", "1", "--arg", "2", "3", "--json-arg", "[4]", "--file-arg", "f", "@g"})) ==
        "ARG=1 --arg=2 ARG=3 --json-arg=[4] --file-arg=f ARG=@g ");
  CHECK(describe(emit_order({"--arg", "a", "URL", "--json-arg=1", "ev", "[1,2]", "--arg", "-5"})) ==
        "--arg=a --json-arg=1 ARG=[1,2] --arg=-5 ");
  CHECK(describe(emit_order({"URL", "ev"})).empty());
  const auto forms = emit_order({"URL", "ev", "x", "--arg", "y", "--json-arg", "z", "--file-arg", "w"});
  REQUIRE(forms.size() == 4);
  CHECK(forms[0].form == arg_form::detect);
  CHECK(forms[1].form == arg_form::string);
  CHECK(forms[2].form == arg_form::json);
  CHECK(forms[3].form == arg_form::file);
}

TEST_CASE("event args: a bad argument on the command line is a usage error naming its flag") {
  arg_input input{nullptr, "no stdin", "--arg sends it as a string"};
  auto error = [&](const std::vector<arg_text>& args) -> std::string {
    try {
      sio::cmd::parse_cli_args(args, input);
    } catch (const CLI::ValidationError& e) {
      return e.what();
    }
    return "(no error)";
  };
  CHECK(error({{arg_form::detect, "1", "ARG"}, {arg_form::detect, R"({"a":)", "ARG"}}) ==
        R"(ARG: not valid JSON: {"a": (--arg sends it as a string))");
  CHECK(error({{arg_form::json, "nope", "--json-arg"}}) == "--json-arg: not valid JSON: nope");
  CHECK(error({{arg_form::file, "-", "--file-arg"}}) == "--file-arg: no stdin");
  CHECK(error({{arg_form::string, R"({"a":)", "--arg"}}) == "(no error)");
}

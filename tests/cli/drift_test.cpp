// Every flag of every subcommand, as --help lists it, must appear in the man page and in the
// bash, zsh and fish completions; so must every subcommand. Adding a flag without documenting
// it fails here.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace {

struct command_flags {
  std::string name;  // empty for the top level
  std::set<std::string> long_flags;
  std::set<char> short_flags;
};

std::string help_of(const std::string& sub) {
  std::vector<std::string> argv = {SIO_BINARY};
  if (!sub.empty()) argv.push_back(sub);
  argv.push_back("--help");
  auto r = sio::test::run_process(argv);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// The lines of the named section of CLI11's help ("Options:", "Subcommands:").
std::vector<std::string> section(const std::string& help, const std::string& title) {
  std::vector<std::string> lines;
  std::istringstream in(help);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind(title, 0) == 0) {
      inside = true;
    } else if (inside && !line.empty() && line[0] != ' ') {
      inside = false;
    } else if (inside && !line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

command_flags flags_of(const std::string& sub) {
  command_flags c{sub, {}, {}};
  static const std::regex long_re(R"((?:^|[\s,])--([A-Za-z0-9][A-Za-z0-9-]*))");
  static const std::regex short_re(R"((?:^|[\s,])-([A-Za-z0-9])(?=[\s,]|$))");
  for (const auto& line : section(help_of(sub), "Options:")) {
    // Only the option column: descriptions may mention other flags.
    const std::string names = line.substr(0, line.find("  ", line.find_first_not_of(' ')));
    for (std::sregex_iterator it(names.begin(), names.end(), long_re), end; it != end; ++it)
      c.long_flags.insert((*it)[1]);
    for (std::sregex_iterator it(names.begin(), names.end(), short_re), end; it != end; ++it)
      c.short_flags.insert((*it)[1].str()[0]);
  }
  return c;
}

std::vector<std::string> subcommands() {
  std::vector<std::string> out;
  for (const auto& line : section(help_of(""), "Subcommands:")) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    if (!name.empty()) out.push_back(name);
  }
  return out;
}

std::string source(const std::string& relative) {
  return sio::test::read_file(std::string(SIO_SOURCE_DIR) + "/" + relative);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// "-x" as a flag of its own, not inside "--x..." or a word.
bool contains_short(const std::string& haystack, char flag) {
  const std::regex re(std::string(R"((^|[^-A-Za-z0-9])-)") + flag + "($|[^A-Za-z0-9-])");
  return std::regex_search(haystack, re);
}

}  // namespace

TEST_CASE("drift: the man page and completions know every subcommand and flag") {
  // roff writes a hyphen as \-; compare with plain hyphens.
  const std::string man = std::regex_replace(source("man/sio.1"), std::regex(R"(\\-)"), "-");
  const std::string bash = source("completions/sio.bash");
  const std::string zsh = source("completions/_sio");
  const std::string fish = source("completions/sio.fish");
  REQUIRE_FALSE(man.empty());
  REQUIRE_FALSE(bash.empty());
  REQUIRE_FALSE(zsh.empty());
  REQUIRE_FALSE(fish.empty());

  std::vector<command_flags> commands = {flags_of("")};
  for (const auto& sub : subcommands()) {
    CAPTURE(sub);
    CHECK((contains(man, ".SH " + sub) || contains(man, ".SS " + sub) || contains(man, "sio " + sub)));
    CHECK(contains(bash, sub));
    CHECK(contains(zsh, sub));
    CHECK(contains(fish, "__fish_seen_subcommand_from " + sub));
    commands.push_back(flags_of(sub));
  }
  REQUIRE(commands.front().long_flags.count("help") == 1);  // the parser itself works

  for (const auto& c : commands) {
    for (const auto& flag : c.long_flags) {
      CAPTURE(c.name);
      CAPTURE(flag);
      CHECK(contains(man, "--" + flag));
      CHECK(contains(bash, "--" + flag));
      CHECK(contains(zsh, "--" + flag));
      CHECK(contains(fish, "-l " + flag));
    }
    for (char flag : c.short_flags) {
      CAPTURE(c.name);
      const std::string shown(1, flag);
      CAPTURE(shown);
      CHECK(contains_short(man, flag));
      CHECK(contains_short(bash, flag));
      CHECK(contains_short(zsh, flag));
      CHECK(contains(fish, std::string("-s ") + flag));
    }
  }
}

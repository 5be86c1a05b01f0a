#include "cmd/color.hpp"

#include <unistd.h>

#include <cstdlib>

namespace sio::cmd {

void add_color_flag(CLI::App* cmd, std::string& mode) {
  cmd->add_option("--color", mode, "Colour: auto (on a terminal, unless NO_COLOR is set), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

bool use_color(const std::string& mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return isatty(fd) != 0 && std::getenv("NO_COLOR") == nullptr;
}

}  // namespace sio::cmd

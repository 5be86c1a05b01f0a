#pragma once
// --color=auto|always|never: whether output is coloured. auto (the default) colours a terminal
// unless NO_COLOR is set (no-color.org); always and never are what they say, NO_COLOR included,
// so that `--color=always | less -R` works.
#include <CLI/CLI.hpp>

#include <string>

namespace sio::cmd {

void add_color_flag(CLI::App* cmd, std::string& mode);

// `mode` as the flag left it; `fd` the descriptor the coloured text goes to.
bool use_color(const std::string& mode, int fd);

}  // namespace sio::cmd

#pragma once
// Each subcommand file registers its CLI11 subcommand and the function that runs it.
#include <CLI/CLI.hpp>

#include <functional>

namespace sio::cmd {

using runner = std::function<int()>;

void register_serve(CLI::App& app, runner& run);
void register_emit(CLI::App& app, runner& run);
void register_listen(CLI::App& app, runner& run);
void register_connect(CLI::App& app, runner& run);
void register_bench(CLI::App& app, runner& run);

}  // namespace sio::cmd

#pragma once
// Runs a child process with its stdin fed from a string and its stdout and stderr captured,
// bounded in time: a hung child is killed and reported, never waited on forever.
#include <chrono>
#include <string>
#include <vector>

namespace sio::test {

struct process_result {
  int exit_code = -1;  // -1 when killed by a signal or the deadline
  bool timed_out = false;
  std::string out;
  std::string err;
};

process_result run_process(const std::vector<std::string>& argv, const std::string& input = {},
                           std::chrono::milliseconds deadline = std::chrono::seconds(10));

// Reads a whole file; empty when it cannot be read.
std::string read_file(const std::string& path);

}  // namespace sio::test

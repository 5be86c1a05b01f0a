#pragma once
// The terminal under `sio connect`'s line editor: raw mode (keys one by one, no echo, no signals
// from Ctrl-C) while the object lives, restored by the destructor and, if a signal ends the process
// first (SIGHUP, SIGQUIT, SIGABRT, a crash), by a signal handler before the signal's own action.
// SIGINT and SIGTERM are the event loop's (they end the session through the normal path).
//
// A thread reading keys waits in wait(), which also wakes up for a resize (SIGWINCH), a return to
// the foreground (SIGCONT: the shell may have reset the terminal, so raw mode is set again) and
// cancel() from another thread. Only one raw_terminal may exist at a time.
#include <cstddef>

#include <termios.h>

namespace sio::cmd {

class raw_terminal {
 public:
  enum class wake { input, resize, cancel };

  raw_terminal();  // on standard input; does nothing to a file or a pipe
  ~raw_terminal();
  raw_terminal(const raw_terminal&) = delete;
  raw_terminal& operator=(const raw_terminal&) = delete;

  std::size_t columns() const;  // of standard output; 80 when unknown
  wake wait();                  // until standard input is readable (or at its end), or a wake-up
  void cancel();                // thread-safe; wait() returns cancel from then on

 private:
  void enter_raw();

  termios raw_{};
  int wake_read_ = -1;
  bool cancelled_ = false;
};

}  // namespace sio::cmd

#include "cmd/raw_terminal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>

namespace sio::cmd {

namespace {

// What the signal handlers use: only plain data and async-signal-safe calls.
termios saved_mode;
volatile std::sig_atomic_t have_saved_mode = 0;
volatile int wake_write = -1;

constexpr std::array<int, 7> fatal_signals = {SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
constexpr std::array<int, 2> wake_signals = {SIGWINCH, SIGCONT};
std::array<struct sigaction, 7> previous_fatal{};
std::array<struct sigaction, 2> previous_wake{};

void restore_mode() {
  if (have_saved_mode) tcsetattr(STDIN_FILENO, TCSANOW, &saved_mode);
}

void on_fatal(int sig) {
  restore_mode();
  for (std::size_t i = 0; i < fatal_signals.size(); ++i)
    if (fatal_signals[i] == sig) sigaction(sig, &previous_fatal[i], nullptr);
  // A fault happens again when the handler returns, now with the previous action (a sanitizer's
  // report, or the core dump); the others are raised again.
  if (sig != SIGSEGV && sig != SIGBUS && sig != SIGFPE && sig != SIGILL) raise(sig);
}

void on_wake(int sig) {
  const int saved_errno = errno;
  const char byte = sig == SIGWINCH ? 'w' : 'r';
  if (wake_write >= 0 && write(wake_write, &byte, 1) < 0) {
  }  // a full pipe already holds a wake-up
  errno = saved_errno;
}

void install(int sig, void (*handler)(int), struct sigaction& previous) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(sig, &action, &previous);
}

}  // namespace

raw_terminal::raw_terminal() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    wake_read_ = fds[0];
    wake_write = fds[1];
  }
  if (tcgetattr(STDIN_FILENO, &saved_mode) == 0) {
    raw_ = saved_mode;
    raw_.c_iflag &= ~static_cast<tcflag_t>(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
    raw_.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | IEXTEN | ISIG);
    raw_.c_cc[VMIN] = 1;
    raw_.c_cc[VTIME] = 0;
    have_saved_mode = 1;
    for (std::size_t i = 0; i < fatal_signals.size(); ++i) install(fatal_signals[i], on_fatal, previous_fatal[i]);
    enter_raw();
  }
  for (std::size_t i = 0; i < wake_signals.size(); ++i) install(wake_signals[i], on_wake, previous_wake[i]);
}

raw_terminal::~raw_terminal() {
  for (std::size_t i = 0; i < wake_signals.size(); ++i) sigaction(wake_signals[i], &previous_wake[i], nullptr);
  if (have_saved_mode) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_mode);
    for (std::size_t i = 0; i < fatal_signals.size(); ++i) sigaction(fatal_signals[i], &previous_fatal[i], nullptr);
    have_saved_mode = 0;
  }
  if (wake_write >= 0) close(wake_write);
  wake_write = -1;
  if (wake_read_ >= 0) close(wake_read_);
}

void raw_terminal::enter_raw() {
  if (have_saved_mode) tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw_);
}

std::size_t raw_terminal::columns() const {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

void raw_terminal::cancel() {
  const char byte = 'c';
  if (wake_write >= 0 && write(wake_write, &byte, 1) < 0) {
  }  // a full pipe already holds a wake-up
}

raw_terminal::wake raw_terminal::wait() {
  for (;;) {
    if (cancelled_) return wake::cancel;
    std::array<pollfd, 2> fds{{{STDIN_FILENO, POLLIN, 0}, {wake_read_, POLLIN, 0}}};
    if (poll(fds.data(), wake_read_ >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      return wake::input;  // the read will report the failure
    }
    if (fds[1].revents & POLLIN) {
      bool resized = false;
      std::array<char, 64> bytes{};
      for (ssize_t n; (n = read(wake_read_, bytes.data(), bytes.size())) > 0;) {
        for (ssize_t i = 0; i < n; ++i) {
          if (bytes[static_cast<std::size_t>(i)] == 'c') cancelled_ = true;
          if (bytes[static_cast<std::size_t>(i)] == 'r') enter_raw();
          resized = true;  // a resize, or after SIGCONT a redraw all the same
        }
      }
      if (cancelled_) return wake::cancel;
      if (resized) return wake::resize;
    }
    if (fds[0].revents) return wake::input;
  }
}

}  // namespace sio::cmd

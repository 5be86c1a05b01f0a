#include "cmd/line_editor.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace sio::cmd {

namespace {

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if (!continuation(c)) ++n;
  return n;
}

void write_all(std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, s.data(), s.size());
    if (n <= 0) return;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

bool read_byte(char& c) { return ::read(STDIN_FILENO, &c, 1) == 1; }

std::string history_path() {
  std::filesystem::path base;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state)
    base = state;
  else if (const char* home = std::getenv("HOME"); home && *home)
    base = std::filesystem::path(home) / ".local/state";
  else
    return {};
  return (base / "sio" / "history").string();
}

constexpr std::size_t max_history = 1000;

}  // namespace

line_editor::line_editor(std::string prompt) : prompt_(std::move(prompt)), history_file_(history_path()) {
  if (tcgetattr(STDIN_FILENO, &saved_) == 0) {
    termios raw = saved_;
    raw.c_iflag &= ~static_cast<tcflag_t>(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
    raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | IEXTEN | ISIG);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    raw_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0;
  }
  load_history();
  std::lock_guard lock(mutex_);
  redraw();
}

line_editor::~line_editor() {
  if (raw_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  write_all("\r\n");
}

void line_editor::redraw() {
  std::string out = "\r" + prompt_ + buffer_ + "\x1b[K";
  const auto tail = code_points(std::string_view(buffer_).substr(cursor_));
  if (tail) out += "\x1b[" + std::to_string(tail) + "D";
  write_all(out);
}

void line_editor::print(std::string_view text) {
  std::lock_guard lock(mutex_);
  std::string out = "\r\x1b[K";
  out += text;
  out += "\r\n";
  write_all(out);
  redraw();
}

void line_editor::set_prompt(std::string prompt) {
  std::lock_guard lock(mutex_);
  prompt_ = std::move(prompt);
  redraw();
}

void line_editor::insert(std::string_view bytes) {
  buffer_.insert(cursor_, bytes);
  cursor_ += bytes.size();
}

void line_editor::move_left() {
  while (cursor_ > 0) {
    --cursor_;
    if (!continuation(buffer_[cursor_])) break;
  }
}

void line_editor::move_right() {
  if (cursor_ < buffer_.size()) ++cursor_;
  while (cursor_ < buffer_.size() && continuation(buffer_[cursor_])) ++cursor_;
}

void line_editor::erase_before() {
  const auto end = cursor_;
  move_left();
  buffer_.erase(cursor_, end - cursor_);
}

void line_editor::erase_at() {
  if (cursor_ >= buffer_.size()) return;
  const auto start = cursor_;
  move_right();
  buffer_.erase(start, cursor_ - start);
  cursor_ = start;
}

void line_editor::recall(int direction) {
  if (history_.empty()) return;
  if (direction < 0 && history_pos_ > 0)
    --history_pos_;
  else if (direction > 0 && history_pos_ < history_.size())
    ++history_pos_;
  buffer_ = history_pos_ < history_.size() ? history_[history_pos_] : std::string();
  cursor_ = buffer_.size();
}

line_editor::status line_editor::read_line(std::string& out) {
  for (;;) {
    char c = 0;
    if (!read_byte(c)) return status::eof;
    std::lock_guard lock(mutex_);
    switch (c) {
      case '\r':
      case '\n': {
        out = std::move(buffer_);
        buffer_.clear();
        cursor_ = 0;
        write_all("\r\x1b[K" + prompt_ + out + "\r\n");
        if (!out.empty() && (history_.empty() || history_.back() != out)) {
          history_.push_back(out);
          save_history_line(out);
        }
        history_pos_ = history_.size();
        redraw();
        return status::line;
      }
      case 3:  // Ctrl-C
        buffer_.clear();
        cursor_ = 0;
        return status::interrupt;
      case 4:  // Ctrl-D
        if (buffer_.empty()) return status::eof;
        erase_at();
        break;
      case 1: cursor_ = 0; break;               // Ctrl-A
      case 5: cursor_ = buffer_.size(); break;  // Ctrl-E
      case 2: move_left(); break;               // Ctrl-B
      case 6: move_right(); break;              // Ctrl-F
      case 11: buffer_.erase(cursor_); break;   // Ctrl-K
      case 21:                                  // Ctrl-U
        buffer_.erase(0, cursor_);
        cursor_ = 0;
        break;
      case 23: {  // Ctrl-W: the word before the cursor
        std::size_t start = cursor_;
        while (start > 0 && buffer_[start - 1] == ' ') --start;
        while (start > 0 && buffer_[start - 1] != ' ') --start;
        buffer_.erase(start, cursor_ - start);
        cursor_ = start;
        break;
      }
      case 12: write_all("\x1b[H\x1b[2J"); break;  // Ctrl-L
      case 16: recall(-1); break;                  // Ctrl-P
      case 14: recall(+1); break;                  // Ctrl-N
      case 127:
      case 8: erase_before(); break;
      case 27: {  // escape sequences: arrows, Home/End, Delete
        char a = 0, b = 0;
        if (!read_byte(a) || !read_byte(b)) break;
        if (a == '[' && b >= '0' && b <= '9') {
          char tilde = 0;
          if (!read_byte(tilde)) break;
          if (b == '3')
            erase_at();
          else if (b == '1' || b == '7')
            cursor_ = 0;
          else if (b == '4' || b == '8')
            cursor_ = buffer_.size();
        } else if (a == '[' || a == 'O') {
          if (b == 'A')
            recall(-1);
          else if (b == 'B')
            recall(+1);
          else if (b == 'C')
            move_right();
          else if (b == 'D')
            move_left();
          else if (b == 'H')
            cursor_ = 0;
          else if (b == 'F')
            cursor_ = buffer_.size();
        }
        break;
      }
      default:
        if (static_cast<unsigned char>(c) >= 0x20) insert(std::string_view(&c, 1));
    }
    redraw();
  }
}

void line_editor::load_history() {
  if (history_file_.empty()) return;
  std::ifstream in(history_file_);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) history_.push_back(line);
  if (history_.size() > max_history) history_.erase(history_.begin(), history_.end() - max_history);
  history_pos_ = history_.size();
}

void line_editor::save_history_line(const std::string& line) {
  if (history_file_.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(history_file_).parent_path(), ec);
  std::ofstream(history_file_, std::ios::app) << line << '\n';
}

}  // namespace sio::cmd

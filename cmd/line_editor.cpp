#include "cmd/line_editor.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cmd/char_width.hpp"
#include "cmd/line_view.hpp"

namespace sio::cmd {

namespace {

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// A key that inserts itself: one whole printable character.
bool printable(std::string_view key) {
  std::size_t pos = 0;
  const char32_t c = next_code_point(key, pos);
  if (pos != key.size() || c == 0xFFFD) return false;
  return (c >= 0x20 && c < 0x7F) || c >= 0xA0;
}

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

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
  load_history();
  std::lock_guard lock(mutex_);
  redraw();
}

// An empty prompt row goes; a partial line (after Ctrl-C) stays, and the shell starts below it.
line_editor::~line_editor() { write_all(STDOUT_FILENO, buffer_.empty() ? "\r\x1b[K" : "\r\n"); }

void line_editor::redraw() {
  auto view = render_line(prompt_, buffer_, cursor_, terminal_.columns(), offset_);
  offset_ = view.offset;
  write_all(STDOUT_FILENO, view.bytes);
}

void line_editor::print(std::string_view text, int fd) {
  std::lock_guard lock(mutex_);
  write_all(STDOUT_FILENO, "\r\x1b[K");
  std::string out(text);
  out += "\r\n";
  write_all(fd, out);
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

bool line_editor::next_byte(char& c) {
  while (input_pos_ >= input_.size()) {
    switch (terminal_.wait()) {
      case raw_terminal::wake::cancel: end_ = status::closed; return false;
      case raw_terminal::wake::resize: {
        std::lock_guard lock(mutex_);
        redraw();
        continue;
      }
      case raw_terminal::wake::input: break;
    }
    char bytes[256];
    const ssize_t n = ::read(STDIN_FILENO, bytes, sizeof bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      end_ = status::eof;
      return false;
    }
    input_.assign(bytes, static_cast<std::size_t>(n));
    input_pos_ = 0;
  }
  c = input_[input_pos_++];
  return true;
}

// One key: a byte, a whole UTF-8 character or a whole escape sequence (ESC [ parameters final,
// ESC O final). Read without the lock, since it may wait for the next byte.
bool line_editor::read_key(std::string& key) {
  key.clear();
  char c = 0;
  if (!next_byte(c)) return false;
  key += c;
  const auto lead = static_cast<unsigned char>(c);
  if (c == '\x1b') {
    if (!next_byte(c)) return true;
    key += c;
    if (c != '[' && c != 'O') return true;
    while (next_byte(c)) {
      key += c;
      if (c < 0x20 || c >= 0x40) break;  // the final byte
    }
  } else if (lead >= 0xC0) {
    for (int more = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1; more > 0 && next_byte(c); --more) {
      if (!continuation(c)) {
        --input_pos_;  // not part of this character: the next key
        break;
      }
      key += c;
    }
  }
  return true;
}

// Arrows, Home/End and Delete, with or without modifiers (which are ignored).
void line_editor::apply_escape(std::string_view key) {
  if (key.size() < 3) return;  // a lone ESC, or Alt with a key
  const char final = key.back();
  const std::string_view params = key.substr(2, key.size() - 3);
  const std::string_view first = params.substr(0, params.find(';'));
  switch (final) {
    case 'A': recall(-1); break;
    case 'B': recall(+1); break;
    case 'C': move_right(); break;
    case 'D': move_left(); break;
    case 'H': cursor_ = 0; break;
    case 'F': cursor_ = buffer_.size(); break;
    case '~':
      if (first == "3")
        erase_at();
      else if (first == "1" || first == "7")
        cursor_ = 0;
      else if (first == "4" || first == "8")
        cursor_ = buffer_.size();
      break;
    default: break;
  }
}

line_editor::status line_editor::read_line(std::string& out) {
  std::string key;
  for (;;) {
    if (!read_key(key)) return end_;
    std::lock_guard lock(mutex_);
    const char c = key[0];
    if (c == '\x1b') {
      apply_escape(key);
    } else if (c == '\r' || c == '\n') {
      out = std::move(buffer_);
      buffer_.clear();
      cursor_ = offset_ = 0;
      // The whole line as sent, wrapping if it is long: the next prompt starts on a row of its own.
      write_all(STDOUT_FILENO, "\r\x1b[K" + prompt_ + out + "\r\n");
      if (!out.empty() && (history_.empty() || history_.back() != out)) {
        history_.push_back(out);
        save_history_line(out);
      }
      history_pos_ = history_.size();
      redraw();
      return status::line;
    } else if (c == 3) {  // Ctrl-C
      return status::interrupt;
    } else if (c == 4) {  // Ctrl-D
      if (buffer_.empty()) return status::eof;
      erase_at();
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 127) {
      control_key(c);
    } else if (printable(key)) {
      insert(key);
    }
    if (input_pos_ >= input_.size()) redraw();  // once per batch of keys: a paste is one redraw
  }
}

void line_editor::control_key(char c) {
  switch (c) {
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
    case 12: write_all(STDOUT_FILENO, "\x1b[H\x1b[2J"); break;  // Ctrl-L
    case 16: recall(-1); break;                                 // Ctrl-P
    case 14: recall(+1); break;                                 // Ctrl-N
    case 127:
    case 8: erase_before(); break;
    default: break;
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

#pragma once
// A small line editor for `sio connect` on a terminal: cursor keys, Home/End, Backspace and
// Delete, Ctrl-A/E/U/K/W/L, history (Up/Down, kept in $XDG_STATE_HOME/sio/history), and
// printing above the prompt from another thread without garbling what is being typed. The line
// is one terminal row that scrolls sideways (cmd/line_view.hpp) and is redrawn on a resize.
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "cmd/raw_terminal.hpp"

namespace sio::cmd {

class line_editor {
 public:
  // closed: cancel() was called.
  enum class status { line, eof, interrupt, closed };

  explicit line_editor(std::string prompt);  // puts the terminal in raw mode
  ~line_editor();                            // restores it
  line_editor(const line_editor&) = delete;
  line_editor& operator=(const line_editor&) = delete;

  // Blocks until Enter (line), Ctrl-D on an empty line or the end of input (eof), Ctrl-C
  // (interrupt) or cancel() (closed).
  status read_line(std::string& out);
  // Thread-safe: ends a read_line() blocked in another thread, and every later one.
  void cancel() { terminal_.cancel(); }
  // Thread-safe: clears the prompt row, writes `text` on rows of its own to `fd` (the same
  // terminal, or stderr elsewhere) and draws the prompt and the partial input again below it.
  void print(std::string_view text, int fd = STDOUT_FILENO);
  void set_prompt(std::string prompt);

 private:
  bool next_byte(char& c);  // from input_, reading more when it is empty; false at eof or cancel
  bool read_key(std::string& key);
  void apply_escape(std::string_view key);  // with the lock held, as below
  void control_key(char c);
  void redraw();  // with the lock held
  void insert(std::string_view bytes);
  void move_left();
  void move_right();
  void erase_before();
  void erase_at();
  void recall(int direction);
  void load_history();
  void save_history_line(const std::string& line);

  raw_terminal terminal_;
  std::mutex mutex_;
  std::string prompt_;
  std::string buffer_;
  std::size_t cursor_ = 0;  // byte offset, always on a UTF-8 boundary
  std::size_t offset_ = 0;  // the first byte of buffer_ shown (the row scrolls sideways)
  std::string input_;       // bytes read from the terminal, not handled yet
  std::size_t input_pos_ = 0;
  status end_ = status::eof;  // why next_byte() last failed
  std::vector<std::string> history_;
  std::size_t history_pos_ = 0;
  std::string history_file_;
};

}  // namespace sio::cmd

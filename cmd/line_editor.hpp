#pragma once
// A small line editor for `sio connect` on a terminal: cursor keys, Home/End, Backspace and
// Delete, Ctrl-A/E/U/K/W/L, history (Up/Down, kept in $XDG_STATE_HOME/sio/history), and
// printing above the prompt from another thread without garbling what is being typed.
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <termios.h>

namespace sio::cmd {

class line_editor {
 public:
  enum class status { line, eof, interrupt };

  explicit line_editor(std::string prompt);  // puts the terminal in raw mode
  ~line_editor();                            // restores it
  line_editor(const line_editor&) = delete;
  line_editor& operator=(const line_editor&) = delete;

  // Blocks until Enter (line), Ctrl-D on an empty line (eof) or Ctrl-C (interrupt).
  status read_line(std::string& out);
  // Thread-safe: prints `text` on its own line above the prompt.
  void print(std::string_view text);
  void set_prompt(std::string prompt);

 private:
  void redraw();  // with the lock held
  void insert(std::string_view bytes);
  void move_left();
  void move_right();
  void erase_before();
  void erase_at();
  void recall(int direction);
  void load_history();
  void save_history_line(const std::string& line);

  std::mutex mutex_;
  std::string prompt_;
  std::string buffer_;
  std::size_t cursor_ = 0;  // byte offset, always on a UTF-8 boundary
  std::vector<std::string> history_;
  std::size_t history_pos_ = 0;
  std::string history_file_;
  termios saved_{};
  bool raw_ = false;
};

}  // namespace sio::cmd

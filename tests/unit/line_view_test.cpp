// The line editor's row (cmd/line_view.hpp) and character widths (cmd/char_width.hpp): the exact
// bytes written for a prompt, an input, a cursor and a terminal width.
#include <doctest/doctest.h>

#include <string>

#include "cmd/char_width.hpp"
#include "cmd/line_view.hpp"

using sio::cmd::next_code_point;
using sio::cmd::render_line;
using sio::cmd::text_columns;

namespace {

std::string digits(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + i % 10);
  return s;
}

}  // namespace

TEST_CASE("char width: UTF-8 characters are one column, wide CJK and emoji two, marks and escapes none") {
  CHECK(text_columns("hello") == 5);
  CHECK(text_columns("h\xc3\xa9llo") == 5);              // é as one character
  CHECK(text_columns("e\xcc\x81") == 1);                 // e + combining acute
  CHECK(text_columns("\xe6\x97\xa5\xe6\x9c\xac") == 4);  // 日本
  CHECK(text_columns("\xea\xb0\x80") == 2);              // 가 (Hangul)
  CHECK(text_columns("\xef\xbc\xa1") == 2);              // Ａ (fullwidth)
  CHECK(text_columns("\xf0\x9f\x98\x80") == 2);          // 😀
  CHECK(text_columns("\x1b[1m/\x1b[0m> ") == 3);         // a coloured prompt
  CHECK(text_columns("\xff"
                     "a") == 2);  // an invalid byte shows as one U+FFFD

  std::string_view cut = "\xe6\x97";  // the first two bytes of a three-byte character
  std::size_t pos = 0;
  CHECK(next_code_point(cut, pos) == 0xFFFD);
  CHECK(pos == 1);
  std::string_view ok = "\xe6\x97\xa5x";
  pos = 0;
  CHECK(next_code_point(ok, pos) == 0x65E5);
  CHECK(pos == 3);
}

TEST_CASE("line view: a short line is the prompt, the input, erase to the end, the cursor placed") {
  auto v = render_line("/> ", "hello", 5, 80, 0);
  CHECK(v.bytes == "\r/> hello\x1b[K\r\x1b[8C");
  CHECK(v.offset == 0);
  v = render_line("/> ", "hello", 0, 80, 0);
  CHECK(v.bytes == "\r/> hello\x1b[K\r\x1b[3C");
  v = render_line("", "", 0, 80, 0);
  CHECK(v.bytes == "\r\x1b[K\r");
  // colour codes in the prompt take no column
  v = render_line("\x1b[1m/\x1b[0m> ", "ab", 2, 80, 0);
  CHECK(v.bytes == "\r\x1b[1m/\x1b[0m> ab\x1b[K\r\x1b[5C");
}

TEST_CASE("line view: a line wider than the terminal scrolls on one row, never into the last column") {
  const std::string line = digits(90);
  // 80 columns, "/> " takes 3, the last is kept free: 76 cells, the cursor's included
  auto v = render_line("/> ", line, 90, 80, 0);
  CHECK(v.offset == 15);
  CHECK(v.bytes == "\r/> " + line.substr(15) + "\x1b[K\r\x1b[78C");
  CHECK(v.bytes.find('\n') == std::string::npos);

  // Home: back to the start, as much as fits
  v = render_line("/> ", line, 0, 80, v.offset);
  CHECK(v.offset == 0);
  CHECK(v.bytes == "\r/> " + line.substr(0, 76) + "\x1b[K\r\x1b[3C");

  // moving within the view does not scroll it
  v = render_line("/> ", line, 50, 80, 15);
  CHECK(v.offset == 15);
  CHECK(v.bytes == "\r/> " + line.substr(15) + "\x1b[K\r\x1b[38C");
  // past its left edge it scrolls by what is needed
  v = render_line("/> ", line, 10, 80, 15);
  CHECK(v.offset == 10);
  CHECK(v.bytes == "\r/> " + line.substr(10, 76) + "\x1b[K\r\x1b[3C");

  // after deleting, the view comes back left while the rest fits
  const std::string shorter = line.substr(0, 70);
  v = render_line("/> ", shorter, 70, 80, 15);
  CHECK(v.offset == 0);
  CHECK(v.bytes == "\r/> " + shorter + "\x1b[K\r\x1b[73C");
}

TEST_CASE("line view: after a resize the same input is laid out for the new width") {
  const std::string line = digits(90);
  auto wide = render_line("/> ", line, 90, 120, 15);
  CHECK(wide.offset == 0);
  CHECK(wide.bytes == "\r/> " + line + "\x1b[K\r\x1b[93C");
  auto narrow = render_line("/> ", line, 90, 40, wide.offset);
  CHECK(narrow.offset == 55);
  CHECK(narrow.bytes == "\r/> " + line.substr(55) + "\x1b[K\r\x1b[38C");
}

TEST_CASE("line view: wide characters take two cells and are never cut in half") {
  const std::string cjk = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";  // 日本語
  auto v = render_line("> ", cjk, cjk.size(), 80, 0);
  CHECK(v.bytes == "\r> " + cjk + "\x1b[K\r\x1b[8C");

  // 10 columns: 7 cells after "> "; with the cursor at the end, 日本語 (6) fits, 日本語日本語 not
  const std::string twice = cjk + cjk;
  v = render_line("> ", twice, twice.size(), 10, 0);
  CHECK(v.offset == 9);
  CHECK(v.bytes == "\r> " + cjk + "\x1b[K\r\x1b[8C");

  // a wide character that would need the last free cell is left out
  const std::string mixed = "abcde" + cjk;
  v = render_line("> ", mixed, 0, 9, 0);  // 6 cells: abcde and one free
  CHECK(v.bytes == "\r> abcde\x1b[K\r\x1b[2C");
}

TEST_CASE("line view: a terminal too narrow for the prompt shows the input alone") {
  auto v = render_line("/> ", "abcdef", 6, 4, 0);
  CHECK(v.offset == 4);
  CHECK(v.bytes == "\ref\x1b[K\r\x1b[2C");
}

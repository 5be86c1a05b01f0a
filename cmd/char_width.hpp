#pragma once
// How many terminal columns text takes, for the line editor: UTF-8 decoded, East Asian wide and
// fullwidth characters (CJK, Hangul, kana, fullwidth forms, the common emoji blocks) two columns,
// combining marks and zero-width characters none, everything else one. A small table of the big
// blocks rather than the whole Unicode database: a rarer wide or zero-width character counts as one.
#include <cstddef>
#include <string_view>

namespace sio::cmd {

// The code point that starts at `pos`, moving `pos` past it. An invalid or cut-off sequence is
// one byte, returned as U+FFFD (which the terminal shows in one column).
char32_t next_code_point(std::string_view text, std::size_t& pos);

int char_columns(char32_t c);  // 0, 1 or 2; control characters 0

// The columns `text` takes; escape sequences (ESC [ ... final byte, as in colour codes) take none.
std::size_t text_columns(std::string_view text);

}  // namespace sio::cmd

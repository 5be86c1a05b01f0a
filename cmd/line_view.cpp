#include "cmd/line_view.hpp"

#include <algorithm>

#include "cmd/char_width.hpp"

namespace sio::cmd {

namespace {

std::size_t columns_between(std::string_view s, std::size_t from, std::size_t to) {
  return text_columns(s.substr(from, to - from));
}

// The width of the character at `pos`, or 1 for the cursor's cell at the end of the input.
std::size_t cell_at(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return 1;
  return std::max<std::size_t>(1, static_cast<std::size_t>(char_columns(next_code_point(s, pos))));
}

std::size_t previous(std::string_view s, std::size_t pos) {
  while (pos > 0 && (static_cast<unsigned char>(s[--pos]) & 0xC0) == 0x80) {
  }
  return pos;
}

}  // namespace

line_view render_line(std::string_view prompt, std::string_view input, std::size_t cursor, std::size_t columns,
                      std::size_t offset) {
  cursor = std::min(cursor, input.size());
  std::size_t prompt_columns = text_columns(prompt);
  if (columns < prompt_columns + 3) {  // not even two cells for the input: drop the prompt
    prompt = {};
    prompt_columns = 0;
  }
  const std::size_t room = columns > prompt_columns + 1 ? columns - prompt_columns - 1 : 1;

  offset = std::min(offset, cursor);
  const std::size_t cell = cell_at(input, cursor);
  while (offset < cursor && columns_between(input, offset, cursor) + cell > room) {
    std::size_t pos = offset;
    next_code_point(input, pos);
    offset = pos;
  }
  while (offset > 0) {
    const std::size_t before = previous(input, offset);
    if (columns_between(input, before, input.size()) + 1 > room) break;
    offset = before;
  }

  std::size_t end = offset, used = 0;
  while (end < input.size()) {
    std::size_t pos = end;
    const auto width = static_cast<std::size_t>(char_columns(next_code_point(input, pos)));
    if (used + width > room) break;
    used += width;
    end = pos;
  }

  line_view view;
  view.offset = offset;
  view.bytes.reserve(prompt.size() + (end - offset) + 16);
  view.bytes += '\r';
  view.bytes += prompt;
  view.bytes += input.substr(offset, end - offset);
  view.bytes += "\x1b[K\r";
  const std::size_t column = prompt_columns + columns_between(input, offset, cursor);
  if (column > 0) view.bytes += "\x1b[" + std::to_string(column) + "C";
  return view;
}

}  // namespace sio::cmd

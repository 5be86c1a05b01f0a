#pragma once
// What the line editor writes to show its line: the prompt and as much of the input as fits one
// terminal row. A line wider than the terminal scrolls sideways instead of wrapping, because a
// wrapped line needs the editor to know which row the cursor is on, and after a resize or a
// terminal's own reflow it no longer can; one row is redrawn exactly by "\r ... erase to the end".
#include <cstddef>
#include <string>
#include <string_view>

namespace sio::cmd {

struct line_view {
  std::string bytes;       // to write: the row redrawn, the cursor in place
  std::size_t offset = 0;  // the first byte of the input shown; pass it to the next call
};

// `cursor` and `offset` are byte offsets into `input` on UTF-8 boundaries; `offset` is the
// previous view's. The view moves only as far as it must to keep the cursor and the character
// under it on screen, and back left while the rest of the input fits with a cell to spare. The last
// column stays empty so the terminal never wraps. A prompt that leaves no room is not shown.
line_view render_line(std::string_view prompt, std::string_view input, std::size_t cursor, std::size_t columns,
                      std::size_t offset);

}  // namespace sio::cmd

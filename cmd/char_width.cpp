#include "cmd/char_width.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

namespace sio::cmd {

namespace {

using range = std::pair<char32_t, char32_t>;  // first, last (inclusive); the tables are sorted

constexpr std::array<range, 9> zero_width = {{
    {0x0300, 0x036F},  // combining diacritical marks
    {0x0483, 0x0489},  // Cyrillic combining marks
    {0x0591, 0x05BD},  // Hebrew points
    {0x064B, 0x065F},  // Arabic vowel marks
    {0x1AB0, 0x1AFF},  // combining diacritical marks extended
    {0x1DC0, 0x1DFF},  // combining diacritical marks supplement
    {0x200B, 0x200F},  // zero-width space, (non-)joiners, direction marks
    {0x20D0, 0x20FF},  // combining marks for symbols
    {0xFE00, 0xFE0F},  // variation selectors
}};

constexpr std::array<range, 15> wide = {{
    {0x1100, 0x115F},    // Hangul Jamo initials
    {0x2E80, 0x303E},    // CJK radicals, Kangxi, CJK symbols and punctuation
    {0x3041, 0x33FF},    // kana, Bopomofo, CJK compatibility
    {0x3400, 0x4DBF},    // CJK extension A
    {0x4E00, 0x9FFF},    // CJK unified ideographs
    {0xA000, 0xA4CF},    // Yi
    {0xAC00, 0xD7A3},    // Hangul syllables
    {0xF900, 0xFAFF},    // CJK compatibility ideographs
    {0xFE30, 0xFE4F},    // CJK compatibility forms
    {0xFF00, 0xFF60},    // fullwidth forms
    {0xFFE0, 0xFFE6},    // fullwidth signs
    {0x1F300, 0x1F64F},  // pictographs, emoticons
    {0x1F900, 0x1F9FF},  // supplemental pictographs
    {0x20000, 0x2FFFD},  // CJK extensions B to F
    {0x30000, 0x3FFFD},  // CJK extension G and later
}};

template <std::size_t N>
bool in(const std::array<range, N>& table, char32_t c) {
  const auto after =
      std::upper_bound(table.begin(), table.end(), c, [](char32_t value, const range& r) { return value < r.first; });
  return after != table.begin() && c <= std::prev(after)->second;
}

constexpr char32_t replacement = 0xFFFD;

}  // namespace

char32_t next_code_point(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos++]);
  if (lead < 0x80) return lead;
  std::size_t more = 0;
  char32_t c = 0;
  if ((lead & 0xE0) == 0xC0) {
    more = 1;
    c = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    more = 2;
    c = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    more = 3;
    c = lead & 0x07;
  } else {
    return replacement;  // a stray continuation byte or an invalid lead
  }
  if (pos + more > text.size()) return replacement;
  for (std::size_t i = 0; i < more; ++i)
    if ((static_cast<unsigned char>(text[pos + i]) & 0xC0) != 0x80) return replacement;
  for (std::size_t i = 0; i < more; ++i) c = (c << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
  pos += more;
  return c;
}

int char_columns(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;
  if (in(zero_width, c)) return 0;
  return in(wide, c) ? 2 : 1;
}

std::size_t text_columns(std::string_view text) {
  std::size_t columns = 0, pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '\x1b') {  // ESC [ parameters final, or ESC and one byte: nothing drawn
      ++pos;
      if (pos < text.size() && text[pos] == '[') {
        ++pos;
        while (pos < text.size() && (text[pos] < 0x40 || text[pos] > 0x7E)) ++pos;
      }
      ++pos;
      continue;
    }
    columns += static_cast<std::size_t>(char_columns(next_code_point(text, pos)));
  }
  return columns;
}

}  // namespace sio::cmd

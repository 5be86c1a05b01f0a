#pragma once
// CLI11 2.1 splits a "[a,b]" value of any vector option at its commas, which would break
// JSON array arguments (`sio emit URL ev '[1,2]'`). main() marks such arguments with a
// trailing U+001F before parsing; the places that read event arguments remove it.
#include <string>
#include <string_view>
#include <vector>

namespace sio::cmd {

inline constexpr char bracket_mark = '\x1f';

// argv as CLI11 wants it (reversed, without the program name), marked.
inline std::vector<std::string> protect_brackets(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = argc - 1; i > 0; --i) {
    std::string a = argv[i];
    if (a.size() >= 2 && a.front() == '[' && a.back() == ']') a.push_back(bracket_mark);
    args.push_back(std::move(a));
  }
  return args;
}

inline std::string_view unprotect_brackets(std::string_view s) {
  if (!s.empty() && s.back() == bracket_mark) s.remove_suffix(1);
  return s;
}

}  // namespace sio::cmd

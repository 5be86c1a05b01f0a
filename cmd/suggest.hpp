#pragma once
// "Did you mean ...?": the known name nearest to a mistyped one, by edit distance (insertions,
// deletions, substitutions and swaps of two neighbours each count 1).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sio::cmd {

std::size_t edit_distance(std::string_view a, std::string_view b);

// The nearest candidate, if it is near enough to be a typo: at most 2 edits, and fewer than half
// of the word's length (so "-x" suggests nothing). Ties go to the first candidate.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace sio::cmd

#pragma once
// The text form of binary for people and scripts: {"$binary":"<base64>"} in place of each
// placeholder (output), and back to placeholders plus attachments (input).
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.hpp"

namespace sio::socketio {

// `json` with every placeholder replaced by {"$binary":"..."} of the attachment it names.
// Placeholders that do not resolve are left as they are.
std::string placeholders_to_binary_json(std::string_view json, const std::vector<std::string>& attachments);

// The reverse: every {"$binary":"<base64>"} object (that one key, a string value) becomes a
// placeholder, its bytes appended to `attachments` in order of appearance.
result<std::string> binary_json_to_placeholders(std::string_view json, std::vector<std::string>& attachments);

}  // namespace sio::socketio

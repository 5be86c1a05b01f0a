#pragma once
// The tree the Redis codecs decode into and encode from: nlohmann::ordered_json, with binary
// as binary_t. Ordered so that a message is re-encoded with its keys in the order it came
// (and ours in the order Node writes them, byte for byte).
//
// Plus the JavaScript-side conventions a Node peer applies to such values:
//   * strings are UTF-8, invalid bytes replaced as Buffer.toString("utf8") does;
//   * JSON is written as JSON.stringify writes it (shortest numbers, `1` not `1.0`);
//   * duplicate keys keep the position of the first and the value of the last;
//   * binary travels in Socket.IO packets as attachments with placeholders, and elsewhere
//     is written as Buffer.toJSON() writes it: {"type":"Buffer","data":[1,2,3]}.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/json_scan.hpp"
#include "core/jsvalue/error.hpp"

namespace sio::jsvalue {

using value = nlohmann::ordered_json;

bool is_well_formed_utf8(std::string_view bytes);
// Each maximal ill-formed subsequence becomes U+FFFD (the WHATWG decoder, which Node uses).
std::string to_well_formed_utf8(std::string_view bytes);

// A number as JavaScript's Number.prototype.toString writes it: 1, 0.5, 1e+21, 1e-7, -0 as 0.
void append_js_number(double d, std::string& out);

// JSON text as JSON.stringify writes it. Non-finite numbers are null. Binary becomes a
// Socket.IO placeholder {"_placeholder":true,"num":N} appended to `attachments` when it is
// given, else {"type":"Buffer","data":[...]}.
void append_js_json(const value& v, std::string& out, std::vector<std::string>* attachments = nullptr);
std::string to_js_json(const value& v, std::vector<std::string>* attachments = nullptr);

// Parses one JSON document, at most `max_depth` containers deep. Invalid UTF-8 is replaced
// first (Node parses msg.toString()); numbers beyond double range become ±Infinity or 0, as
// in JSON.parse; duplicate keys as above.
result<value> parse_json(std::string_view text, std::size_t max_depth = json::default_max_depth);

// A Socket.IO payload: JSON with placeholders plus the binary attachments they stand for.
struct payload {
  std::string json;
  std::vector<std::string> attachments;

  friend bool operator==(const payload&, const payload&) = default;
};
payload to_payload(const value& v);
// The reverse: each placeholder object ({"_placeholder":true,"num":N}) becomes the binary it
// names. A placeholder whose num is not an attachment index is an error.
result<value> from_payload(std::string_view json, std::span<const std::string> attachments,
                           std::size_t max_depth = json::default_max_depth);

namespace detail {
// Appends a member without looking for an existing key; call finish_object() once the
// object is complete to apply the duplicate-key rule (linear time in the member count).
void append_member(value& object, std::string key, value v);
void finish_object(value& object);
}  // namespace detail

}  // namespace sio::jsvalue

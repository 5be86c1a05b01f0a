#pragma once
// RESP2, the Redis wire protocol, without I/O: commands out as arrays of bulk strings, and a
// reply parser fed the bytes as they arrive, in chunks of any size, that hands back whole
// replies. Every size is bounded (bulk length, array length, nesting, line length): a broken
// or hostile server gets a clear error, never a crash or an unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/redis/error.hpp"

namespace sio::redis {

// Commands: *<n>\r\n then $<len>\r\n<bytes>\r\n per argument. Binary-safe.
void encode_command_append(std::span<const std::string_view> args, std::string& out);
std::string encode_command(std::span<const std::string_view> args);
std::string encode_command(std::initializer_list<std::string_view> args);

enum class reply_type : std::uint8_t {
  simple_string,  // +OK
  error,          // -ERR ...
  integer,        // :42
  bulk_string,    // $3 abc
  array,          // *2 ...
  null,           // $-1 (null bulk string) and *-1 (null array)
};

struct reply {
  reply_type type = reply_type::null;
  std::string str;              // simple_string, error, bulk_string
  std::int64_t integer = 0;     // integer
  std::vector<reply> elements;  // array

  static reply simple(std::string s) { return {reply_type::simple_string, std::move(s), 0, {}}; }
  static reply error_reply(std::string s) { return {reply_type::error, std::move(s), 0, {}}; }
  static reply number(std::int64_t n) { return {reply_type::integer, {}, n, {}}; }
  static reply bulk(std::string s) { return {reply_type::bulk_string, std::move(s), 0, {}}; }
  static reply array(std::vector<reply> e) { return {reply_type::array, {}, 0, std::move(e)}; }
  static reply nil() { return {}; }

  bool is_string() const { return type == reply_type::simple_string || type == reply_type::bulk_string; }

  friend bool operator==(const reply&, const reply&) = default;
};

struct resp_limits {
  std::size_t max_bulk_length = 64 * 1024 * 1024;  // Redis's own cap (proto-max-bulk-len) is 512 MiB
  std::size_t max_array_length = 1024 * 1024;      // elements of one array
  std::size_t max_depth = 16;                      // nested arrays; a top-level array is depth 1
  std::size_t max_line_length = 64 * 1024;         // a + - or : line, without its CRLF
};

// The incremental reply parser. feed() the bytes as they come, then call next() until it
// gives nullopt (more bytes needed). An error is final: the stream cannot be resynchronised,
// and every later next() returns the same error.
class reply_parser {
 public:
  explicit reply_parser(resp_limits limits = {}) : limits_(limits) {}

  void feed(std::string_view bytes) { buffer_.append(bytes); }
  result<std::optional<reply>> next();

  // True while part of a reply has been received and the rest is awaited.
  bool pending() const { return pos_ < buffer_.size() || !stack_.empty(); }
  void reset();

 private:
  enum class step { need_more, complete, open_array };
  struct frame {
    reply array;
    std::size_t remaining = 0;
  };

  result<step> parse_one(reply& out);
  void compact();

  resp_limits limits_;
  std::string buffer_;
  std::size_t pos_ = 0;       // start of the next unparsed element
  std::vector<frame> stack_;  // arrays being filled, outermost first
  error_code error_;
};

// Pub/sub pushes (a subscribed connection receives arrays):
//   ["message", channel, payload]             after SUBSCRIBE
//   ["pmessage", pattern, channel, payload]   after PSUBSCRIBE
//   ["smessage", channel, payload]            after SSUBSCRIBE (sharded pub/sub, Redis 7)
struct pubsub_message {
  std::string pattern;  // the pattern that matched; empty for "message"
  std::string channel;
  std::string payload;
  bool from_pattern = false;
  bool from_shard = false;

  friend bool operator==(const pubsub_message&, const pubsub_message&) = default;
};
// Recognises a message push; nullopt for anything else. Pass the reply by std::move to keep
// the payload from being copied.
std::optional<pubsub_message> to_pubsub_message(reply r);

// ["subscribe" | "psubscribe" | "ssubscribe" | "unsubscribe" | "punsubscribe" | "sunsubscribe",
//  channel-or-null, count]
struct subscription_ack {
  std::string kind;
  std::optional<std::string> channel;  // null after UNSUBSCRIBE with no subscription left
  std::int64_t count = 0;              // subscriptions the connection now has

  friend bool operator==(const subscription_ack&, const subscription_ack&) = default;
};
std::optional<subscription_ack> to_subscription_ack(const reply& r);

}  // namespace sio::redis

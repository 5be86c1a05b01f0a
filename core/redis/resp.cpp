#include "core/redis/resp.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace sio::redis {

namespace {

void append_decimal(std::size_t n, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  (void)ec;
  out.append(buf, end);
}

// A RESP decimal: an optional '-' and 1..19 digits, no '+', no spaces.
std::optional<std::int64_t> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_kind(const reply& r, std::string_view kind) { return r.is_string() && r.str == kind; }

}  // namespace

void encode_command_append(std::span<const std::string_view> args, std::string& out) {
  std::size_t size = 16;
  for (auto a : args) size += a.size() + 16;
  out.reserve(out.size() + size);
  out.push_back('*');
  append_decimal(args.size(), out);
  out += "\r\n";
  for (auto a : args) {
    out.push_back('$');
    append_decimal(a.size(), out);
    out += "\r\n";
    out.append(a);
    out += "\r\n";
  }
}

std::string encode_command(std::span<const std::string_view> args) {
  std::string out;
  encode_command_append(args, out);
  return out;
}

std::string encode_command(std::initializer_list<std::string_view> args) {
  return encode_command(std::span<const std::string_view>(args.begin(), args.size()));
}

void reply_parser::reset() {
  buffer_.clear();
  pos_ = 0;
  stack_.clear();
  error_ = {};
}

void reply_parser::compact() {
  if (pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > 4096 && pos_ * 2 > buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

result<reply_parser::step> reply_parser::parse_one(reply& out) {
  const std::size_t size = buffer_.size();
  if (pos_ >= size) return step::need_more;
  const char type = buffer_[pos_];
  // Headers ($ and *) hold a length of at most 20 characters; + - : hold text.
  std::size_t max_line = 0;
  switch (type) {
    case '+':
    case '-':
    case ':': max_line = limits_.max_line_length; break;
    case '$':
    case '*': max_line = 32; break;
    default: return redis_error::resp_unknown_type;
  }
  const std::size_t begin = pos_ + 1;
  const std::size_t search_end = std::min(size, begin + max_line + 1);  // room for the CR itself
  const void* cr = std::memchr(buffer_.data() + begin, '\r', search_end - begin);
  if (!cr) {
    if (search_end - begin > max_line) {
      return type == '$' || type == '*' ? error_code{redis_error::resp_bad_length}
                                        : error_code{redis_error::resp_line_too_long};
    }
    return step::need_more;
  }
  const std::size_t cr_pos = static_cast<std::size_t>(static_cast<const char*>(cr) - buffer_.data());
  if (cr_pos + 1 >= size) return step::need_more;
  if (buffer_[cr_pos + 1] != '\n') return redis_error::resp_bad_line;
  const std::string_view line(buffer_.data() + begin, cr_pos - begin);
  const std::size_t next = cr_pos + 2;

  switch (type) {
    case '+':
    case '-':
      out = type == '+' ? reply::simple(std::string(line)) : reply::error_reply(std::string(line));
      pos_ = next;
      return step::complete;
    case ':': {
      auto n = parse_int(line);
      if (!n) return redis_error::resp_bad_integer;
      out = reply::number(*n);
      pos_ = next;
      return step::complete;
    }
    case '$': {
      auto n = parse_int(line);
      if (!n) return redis_error::resp_bad_integer;
      if (*n == -1) {
        out = reply::nil();
        pos_ = next;
        return step::complete;
      }
      if (*n < 0) return redis_error::resp_bad_length;
      const auto len = static_cast<std::uint64_t>(*n);
      if (len > limits_.max_bulk_length) return redis_error::resp_bulk_too_large;
      // The header stays unconsumed until the whole payload is here; re-reading it is cheap.
      if (size - next < len + 2) return step::need_more;
      const std::size_t end = next + static_cast<std::size_t>(len);
      if (buffer_[end] != '\r' || buffer_[end + 1] != '\n') return redis_error::resp_bad_bulk_end;
      out = reply::bulk(buffer_.substr(next, static_cast<std::size_t>(len)));
      pos_ = end + 2;
      return step::complete;
    }
    default: {  // '*'
      auto n = parse_int(line);
      if (!n) return redis_error::resp_bad_integer;
      if (*n == -1) {
        out = reply::nil();
        pos_ = next;
        return step::complete;
      }
      if (*n < 0) return redis_error::resp_bad_length;
      if (static_cast<std::uint64_t>(*n) > limits_.max_array_length) return redis_error::resp_array_too_large;
      if (stack_.size() >= limits_.max_depth) return redis_error::resp_too_deep;
      pos_ = next;
      const auto count = static_cast<std::size_t>(*n);
      if (count == 0) {
        out = reply::array({});
        return step::complete;
      }
      frame f;
      f.array.type = reply_type::array;
      f.array.elements.reserve(std::min<std::size_t>(count, 64));  // the count is the peer's claim
      f.remaining = count;
      stack_.push_back(std::move(f));
      return step::open_array;
    }
  }
}

result<std::optional<reply>> reply_parser::next() {
  if (error_) return error_;
  for (;;) {
    reply element;
    auto st = parse_one(element);
    if (!st) {
      error_ = st.error();
      return error_;
    }
    if (*st == step::need_more) {
      compact();
      return std::optional<reply>();
    }
    if (*st == step::open_array) continue;
    bool complete = true;
    while (!stack_.empty()) {
      frame& top = stack_.back();
      top.array.elements.push_back(std::move(element));
      if (--top.remaining > 0) {
        complete = false;
        break;
      }
      element = std::move(top.array);
      stack_.pop_back();
    }
    if (complete) {
      compact();
      return std::optional<reply>(std::move(element));
    }
  }
}

std::optional<pubsub_message> to_pubsub_message(reply r) {
  if (r.type != reply_type::array || r.elements.empty()) return std::nullopt;
  auto& e = r.elements;
  for (const auto& x : e)
    if (!x.is_string()) return std::nullopt;
  pubsub_message m;
  if (e.size() == 3 && (is_kind(e[0], "message") || is_kind(e[0], "smessage"))) {
    m.from_shard = is_kind(e[0], "smessage");
    m.channel = std::move(e[1].str);
    m.payload = std::move(e[2].str);
    return m;
  }
  if (e.size() == 4 && is_kind(e[0], "pmessage")) {
    m.pattern = std::move(e[1].str);
    m.channel = std::move(e[2].str);
    m.payload = std::move(e[3].str);
    m.from_pattern = true;
    return m;
  }
  return std::nullopt;
}

std::optional<subscription_ack> to_subscription_ack(const reply& r) {
  if (r.type != reply_type::array || r.elements.size() != 3) return std::nullopt;
  const auto& e = r.elements;
  static constexpr std::string_view kinds[] = {"subscribe",   "psubscribe",   "ssubscribe",
                                               "unsubscribe", "punsubscribe", "sunsubscribe"};
  if (!e[0].is_string() || std::find(std::begin(kinds), std::end(kinds), e[0].str) == std::end(kinds))
    return std::nullopt;
  if (e[2].type != reply_type::integer) return std::nullopt;
  subscription_ack ack;
  ack.kind = e[0].str;
  if (e[1].is_string()) {
    ack.channel = e[1].str;
  } else if (e[1].type != reply_type::null) {
    return std::nullopt;
  }
  ack.count = e[2].integer;
  return ack;
}

}  // namespace sio::redis

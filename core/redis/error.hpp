#pragma once
// Error codes of the pure Redis codecs (RESP replies, adapter messages). Like the
// Socket.IO codecs they never throw for bad peer input: they return sio::result<T>.
#include <boost/system/error_code.hpp>

#include "core/common/error.hpp"

namespace sio::redis {

enum class redis_error {
  ok = 0,
  // RESP
  resp_unknown_type,     // a reply starts with a byte that is not + - : $ *
  resp_bad_line,         // CR not followed by LF
  resp_line_too_long,    // a + - : line longer than the limit without its CRLF
  resp_bad_integer,      // an integer or length that is not a (64-bit) decimal number
  resp_bad_length,       // a negative length other than -1
  resp_bulk_too_large,   // a bulk string longer than the limit
  resp_array_too_large,  // an array with more elements than the limit
  resp_too_deep,         // arrays nested deeper than the limit
  resp_bad_bulk_end,     // a bulk string not followed by CRLF
  // adapter messages
  invalid_message,       // not the shape the adapter expects
  unknown_request_type,  // a request/response type outside 0..9
  // connection
  not_connected,  // Redis is down (or went down before the reply)
};

const boost::system::error_category& redis_category() noexcept;

inline error_code make_error_code(redis_error e) noexcept { return {static_cast<int>(e), redis_category()}; }

}  // namespace sio::redis

template <>
struct boost::system::is_error_code_enum<sio::redis::redis_error> : std::true_type {};

#include "core/redis/error.hpp"

#include <string>

namespace sio::redis {
namespace {

class redis_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sio.redis"; }

  std::string message(int ev) const override {
    switch (static_cast<redis_error>(ev)) {
      case redis_error::ok: return "success";
      case redis_error::resp_unknown_type: return "RESP: unknown reply type byte";
      case redis_error::resp_bad_line: return "RESP: CR not followed by LF";
      case redis_error::resp_line_too_long: return "RESP: reply line too long";
      case redis_error::resp_bad_integer: return "RESP: invalid integer";
      case redis_error::resp_bad_length: return "RESP: invalid length";
      case redis_error::resp_bulk_too_large: return "RESP: bulk string too large";
      case redis_error::resp_array_too_large: return "RESP: array too large";
      case redis_error::resp_too_deep: return "RESP: arrays nested too deeply";
      case redis_error::resp_bad_bulk_end: return "RESP: bulk string not terminated by CRLF";
      case redis_error::invalid_message: return "Redis adapter: malformed message";
      case redis_error::unknown_request_type: return "Redis adapter: unknown request type";
      case redis_error::not_connected: return "not connected to Redis";
    }
    return "unknown redis codec error";
  }
};

}  // namespace

const boost::system::error_category& redis_category() noexcept {
  static const redis_category_impl instance;
  return instance;
}

}  // namespace sio::redis

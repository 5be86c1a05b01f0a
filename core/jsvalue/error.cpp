#include "core/jsvalue/error.hpp"

#include <string>

namespace sio::jsvalue {
namespace {

class jsvalue_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sio.jsvalue"; }

  std::string message(int ev) const override {
    switch (static_cast<jsvalue_error>(ev)) {
      case jsvalue_error::ok: return "success";
      case jsvalue_error::msgpack_truncated: return "msgpack: truncated input";
      case jsvalue_error::msgpack_trailing_bytes: return "msgpack: trailing bytes after the value";
      case jsvalue_error::msgpack_invalid_byte: return "msgpack: invalid type byte 0xc1";
      case jsvalue_error::msgpack_too_deep: return "msgpack: nested too deeply";
      case jsvalue_error::msgpack_bad_key: return "msgpack: unsupported map key type";
    }
    return "unknown jsvalue codec error";
  }
};

}  // namespace

const boost::system::error_category& jsvalue_category() noexcept {
  static const jsvalue_category_impl instance;
  return instance;
}

}  // namespace sio::jsvalue

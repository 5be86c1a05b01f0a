#pragma once
// Error codes of the JavaScript-value codecs (msgpack). Like every codec they never throw for
// bad peer input: they return sio::result<T>.
#include <boost/system/error_code.hpp>

#include "core/common/error.hpp"

namespace sio::jsvalue {

enum class jsvalue_error {
  ok = 0,
  msgpack_truncated,       // the input ends inside a value
  msgpack_trailing_bytes,  // bytes left after the value
  msgpack_invalid_byte,    // 0xc1, never used
  msgpack_too_deep,        // arrays/maps nested deeper than the limit
  msgpack_bad_key,         // a map key that JavaScript cannot turn into a property name
};

const boost::system::error_category& jsvalue_category() noexcept;

inline error_code make_error_code(jsvalue_error e) noexcept { return {static_cast<int>(e), jsvalue_category()}; }

}  // namespace sio::jsvalue

template <>
struct boost::system::is_error_code_enum<sio::jsvalue::jsvalue_error> : std::true_type {};

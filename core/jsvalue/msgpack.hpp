#pragma once
// MessagePack as notepack.io (the Redis adapter's and emitter's codec) writes and reads it,
// over jsvalue::value (nlohmann::ordered_json, binary as binary_t).
//
// Encoder, byte for byte notepack.io's choices for JavaScript values:
//   * every integral number (including an integral double such as 1.0, and -0) in the
//     smallest integer form: fixint, cc/cd/ce/cf, d0/d1/d2/d3;
//   * other numbers (fractions, NaN, ±Infinity) as float64 cb;
//   * str as fixstr/d9/da/db, bin as c4/c5/c6, array as fixarray/dc/dd, map as fixmap/de/df;
//   * nil c0, false c2, true c3; object members in the order they are stored.
//   One deliberate difference: an integral double of 2^64 or more is float64 here, where
//   notepack writes a wrapped uint64 (1e300 as cf 00..00) that decodes to another number.
// Decoder: every msgpack type, and notepack's extensions:
//   * timestamp ext -1 (d6 ff, d7 ff, c7 0c ff) becomes the ISO-8601 string Node writes when
//     it JSON-encodes the Date ("2000-06-13T00:00:00.000Z"), or null if JavaScript's Date
//     cannot hold it (an Invalid Date encodes as null);
//   * undefined as older encoders wrote it, fixext 1 type 0 (d4 00 00): null in an array,
//     omitted from a map, as JSON.stringify treats undefined;
//   * notepack 2.x's Date (fixext 8 type 0: int64 milliseconds) and ArrayBuffer (ext 8/16/32
//     type 0: binary);
//   * any other extension as notepack gives it: the array [type, <binary data>].
// 64-bit integers are kept exact (notepack rounds them to doubles above 2^53).
// Map keys that are numbers, booleans or nil become their JavaScript string forms; strings are
// UTF-8 with invalid bytes replaced (Buffer.toString). Nesting is bounded, and a count that
// the remaining input cannot hold is reported as truncation before anything is allocated.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/jsvalue/error.hpp"
#include "core/jsvalue/value.hpp"

namespace sio::jsvalue::msgpack {

struct decode_limits {
  std::size_t max_depth = 128;  // nested arrays and maps; a top-level array is depth 1
};

// Decodes exactly one value; bytes after it are an error (as in notepack).
result<value> decode(std::string_view bytes, const decode_limits& limits = {});

void encode_append(const value& v, std::string& out);
std::string encode(const value& v);

// Date.prototype.toISOString() of a time value in milliseconds since the epoch, or nullopt
// outside JavaScript's ±8.64e15 ms.
std::optional<std::string> js_iso_date(std::int64_t ms);

}  // namespace sio::jsvalue::msgpack

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <variant>

#include "core/engineio/request.hpp"

namespace eio = sio::engineio;
using eio::request_error;
using eio::transport_kind;

namespace {
std::variant<eio::accepted_request, request_error> check(const std::string& qs, const std::string& method = "GET",
                                                         bool upgrade = false,
                                                         std::optional<transport_kind> session = std::nullopt) {
  return eio::verify_request(eio::parse_query(qs), method, upgrade, session);
}
request_error error_of(const std::variant<eio::accepted_request, request_error>& v) {
  REQUIRE(std::holds_alternative<request_error>(v));
  return std::get<request_error>(v);
}
}  // namespace

TEST_CASE("engine.io request: query parsing") {
  auto q = eio::parse_query("EIO=4&transport=polling&t=N8hyd6w&sid=a%2Bb+c");
  CHECK(q.eio == "4");
  CHECK(q.transport == "polling");
  CHECK(q.sid == "a+b c");
  CHECK_FALSE(q.b64.has_value());
  CHECK(eio::parse_query("transport=polling&transport=polling").transport == "polling,polling");
  CHECK(eio::parse_query("&&EIO&=x").eio == "");
  CHECK(eio::percent_decode("%41%4a%zz%4") == "AJ%zz%4");
}

TEST_CASE("engine.io request: a query that is a view into a longer request ends where the view ends") {
  // The server passes the part of the request target after '?', and the buffer goes on.
  const std::string buffer = "EIO=4&transport=polling HTTP/1.1\r\nHost: x";
  const auto q = eio::parse_query(std::string_view(buffer).substr(0, 23));
  CHECK(q.eio == "4");
  CHECK(q.transport == "polling");
  const std::string sid_buffer = "transport=polling&sid=abcXYZ";
  CHECK(eio::parse_query(std::string_view(sid_buffer).substr(0, 25)).sid == "abc");
}

TEST_CASE("engine.io request: Node's querystring edge cases") {
  // A broken escape stays as it is, and the rest still decodes; '+' is a space, "%2B" a plus.
  CHECK(eio::parse_query("sid=a%zzb%4").sid == "a%zzb%4");
  CHECK(eio::parse_query("sid=%&EIO=%34").eio == "4");
  CHECK(eio::parse_query("sid=a+b%2Bc").sid == "a b+c");
  CHECK(eio::percent_decode("a+b%20c%2B") == "a b c+");
  CHECK(eio::percent_decode("%") == "%");
  CHECK(eio::percent_decode("%%41") == "%A");
  CHECK(eio::percent_decode("%E2%82%AC") == "\xE2\x82\xAC");
  // Keys are decoded too, after the split: "sid%3Dx" is the key "sid=x".
  CHECK(eio::parse_query("s%69d=x").sid == "x");
  CHECK_FALSE(eio::parse_query("sid%3Dx=y").sid.has_value());
  // Empty keys and values.
  CHECK_FALSE(eio::parse_query("=4").eio.has_value());
  CHECK(eio::parse_query("=4&EIO=").eio == "");
  CHECK(eio::parse_query("sid").sid == "");
  // A repeated key joins its values with ',' (an array to JavaScript), empty ones included.
  CHECK(eio::parse_query("EIO=4&EIO=4").eio == "4,4");
  CHECK(eio::parse_query("sid=&sid=a&sid").sid == ",a,");
  // Bytes a client should have encoded (space, UTF-8, '"', '#', '|') still come through as sent.
  CHECK(eio::parse_query("sid=a b\xC3\xA9\"#|&EIO=4").sid == "a b\xC3\xA9\"#|");
  CHECK(eio::parse_query("sid=a b&EIO=4").eio == "4");
}

TEST_CASE("engine.io request: the reference's error codes") {
  CHECK(error_of(check("transport=polling")) == request_error::unsupported_protocol_version);
  CHECK(error_of(check("EIO=abc&transport=polling")) == request_error::unsupported_protocol_version);
  CHECK(error_of(check("EIO=3&transport=polling")) == request_error::unsupported_protocol_version);
  CHECK(error_of(check("EIO=4")) == request_error::unknown_transport);
  CHECK(error_of(check("EIO=4&transport=abc")) == request_error::unknown_transport);
  CHECK(error_of(check("EIO=4&transport=webtransport")) == request_error::unknown_transport);
  CHECK(error_of(check("")) == request_error::unknown_transport);  // transport is checked first
  CHECK(error_of(check("EIO=4&transport=polling&sid=nope")) == request_error::unknown_sid);
  CHECK(error_of(check("EIO=4&transport=polling", "POST")) == request_error::bad_handshake_method);
  CHECK(error_of(check("EIO=4&transport=polling", "PUT")) == request_error::bad_handshake_method);
  CHECK(error_of(check("EIO=4&transport=websocket")) == request_error::bad_request);
  // A polling request for a session that has moved to WebSocket.
  CHECK(error_of(check("EIO=4&transport=polling&sid=s", "GET", false, transport_kind::websocket)) ==
        request_error::bad_request);
}

TEST_CASE("engine.io request: accepted requests") {
  auto hs = check("EIO=4&transport=polling&t=x");
  REQUIRE(std::holds_alternative<eio::accepted_request>(hs));
  CHECK(std::get<eio::accepted_request>(hs).handshake);
  CHECK(std::get<eio::accepted_request>(hs).protocol == 4);

  auto ws = check("EIO=4&transport=websocket", "GET", true);
  REQUIRE(std::holds_alternative<eio::accepted_request>(ws));
  CHECK(std::get<eio::accepted_request>(ws).transport == transport_kind::websocket);

  auto poll = check("EIO=4&transport=polling&sid=s", "POST", false, transport_kind::polling);
  REQUIRE(std::holds_alternative<eio::accepted_request>(poll));
  CHECK_FALSE(std::get<eio::accepted_request>(poll).handshake);

  auto up = check("EIO=4&transport=websocket&sid=s", "GET", true, transport_kind::polling);
  REQUIRE(std::holds_alternative<eio::accepted_request>(up));
  CHECK(std::get<eio::accepted_request>(up).transport == transport_kind::websocket);

  eio::verify_options v3;
  v3.allow_eio3 = true;
  auto old = eio::verify_request(eio::parse_query("EIO=3&transport=polling"), "GET", false, std::nullopt, v3);
  REQUIRE(std::holds_alternative<eio::accepted_request>(old));
  CHECK(std::get<eio::accepted_request>(old).protocol == 3);
}

TEST_CASE("engine.io request: error bodies and statuses") {
  CHECK(eio::request_error_body(request_error::unknown_transport) == R"({"code":0,"message":"Transport unknown"})");
  CHECK(eio::request_error_body(request_error::unknown_sid) == R"({"code":1,"message":"Session ID unknown"})");
  CHECK(eio::request_error_body(request_error::bad_handshake_method) ==
        R"({"code":2,"message":"Bad handshake method"})");
  CHECK(eio::request_error_body(request_error::bad_request) == R"({"code":3,"message":"Bad request"})");
  CHECK(eio::request_error_body(request_error::forbidden) == R"({"code":4,"message":"Forbidden"})");
  CHECK(eio::request_error_body(request_error::unsupported_protocol_version) ==
        R"({"code":5,"message":"Unsupported protocol version"})");
  CHECK(eio::request_error_status(request_error::forbidden) == 403);
  CHECK(eio::request_error_status(request_error::unknown_sid) == 400);
}

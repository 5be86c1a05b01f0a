// A client's one-line summary of an HTTP error answer (core/client/http_error.hpp).
#include <doctest/doctest.h>

#include <string>

#include "core/client/http_error.hpp"

using sio::client::http_error_summary;

TEST_CASE("http error: an HTML page becomes its first line of text") {
  const std::string page =
      "<!DOCTYPE html>\n<html>\n<head><title>404 Not Found</title></head>\n<body>\n<h1>Not Found</h1>\n"
      "<p>The requested URL was not found on this server.</p>\n</body>\n</html>\n";
  CHECK(http_error_summary(404, "Not Found", "text/html; charset=utf-8", page) ==
        "HTTP 404 Not Found: 404 Not Found (is it a Socket.IO server, and is --path right?)");
  CHECK(http_error_summary(502, "Bad Gateway", "text/html",
                           "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad</h1></body></html>") ==
        "HTTP 502 Bad Gateway: 502 Bad Gateway Bad");
}

TEST_CASE("http error: Engine.IO's JSON errors are kept whole") {
  CHECK(http_error_summary(400, "Bad Request", "application/json", R"({"code":0,"message":"Transport unknown"})") ==
        R"(HTTP 400 Bad Request: {"code":0,"message":"Transport unknown"})");
}

TEST_CASE("http error: at most 100 characters of one line, no binary, no control characters") {
  const std::string long_line(500, 'x');
  const auto s = http_error_summary(500, "Internal Server Error", "text/plain", long_line + "\nsecond line");
  CHECK(s == "HTTP 500 Internal Server Error: " + std::string(100, 'x') + "...");
  CHECK(http_error_summary(403, "Forbidden", "application/octet-stream", "\x01\x02\x03") == "HTTP 403 Forbidden");
  CHECK(http_error_summary(403, "", "text/plain", "") == "HTTP 403");
  CHECK(http_error_summary(401, "Unauthorized", "text/plain", "no\x1b[31m entry") ==
        "HTTP 401 Unauthorized: no[31m entry");
  // A multi-byte character is not cut in half.
  const std::string accents = std::string(99, 'a') + "\xc3\xa9\xc3\xa9";
  CHECK(http_error_summary(500, "", "text/plain", accents) == "HTTP 500: " + std::string(99, 'a') + "...");
}

#pragma once
// What a client says when a server answers the Engine.IO handshake with an HTTP error: the
// status, its reason, and at most the first line (100 characters) of a text body, so that a
// web server's HTML error page does not flood the terminal. Engine.IO's own JSON errors
// ({"code":0,"message":"Transport unknown"}) fit in that and are kept.
#include <string>
#include <string_view>

namespace sio::client {

std::string http_error_summary(unsigned status, std::string_view reason, std::string_view content_type,
                               std::string_view body);

}  // namespace sio::client

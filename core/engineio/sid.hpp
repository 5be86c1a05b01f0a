#pragma once
// Session and socket ids: 15 random bytes from the kernel in URL-safe base64, 20 characters,
// the shape of the reference's base64id (the Redis adapter's "looks like a socket id" test
// is length 20). Ids name sessions, so they must not be guessable.
#include <string>

namespace sio::engineio {

std::string generate_sid();

}  // namespace sio::engineio

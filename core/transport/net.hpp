#pragma once
// Asio/Beast names used across the I/O code. The codecs never include this file.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace sio {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

template <class T>
using awaitable = net::awaitable<T>;

// Completion token that reports errors as values: a peer reset is not an exception.
inline constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

}  // namespace sio

#include "core/transport/ws_connection.hpp"

namespace sio::transport {

awaitable<void> ws_connection::read_loop() {
  auto self = shared_from_this();
  for (;;) {
    auto [ec, n] = co_await ws_.async_read(buffer_, use_tuple);
    if (ec) break;
    const auto data = buffer_.cdata();
    const std::string_view message(static_cast<const char*>(data.data()), data.size());
    if (listener_) listener_->on_ws_message(*this, message, ws_.got_binary());
    const bool heartbeat = message == "3";
    buffer_.consume(buffer_.size());
    // A connection that only answers heartbeats is idle: give its read buffer back. A busy
    // one keeps it (no allocation per message), unless a large message grew it.
    if (heartbeat || buffer_.capacity() > 64 * 1024) buffer_.shrink_to_fit();
  }
  failed_ = true;
  queue_.clear();
  buffered_ = 0;
  if (auto l = std::move(listener_)) l->on_ws_closed(*this);
}

void ws_connection::send(const server::frame& f) {
  if (closing_ || failed_) return;
  queue_.push_back(f);
  buffered_ += f.data->size();
  if (!writing_) write_next();
}

void ws_connection::write_next() {
  if (queue_.empty() || failed_) {
    writing_ = false;
    if (closing_) finish_close();
    return;
  }
  writing_ = true;
  const server::frame& f = queue_.front();
  ws_.binary(f.binary);
  ws_.async_write(net::buffer(*f.data), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (!self->queue_.empty()) {
      self->buffered_ -= self->queue_.front().data->size();
      self->queue_.pop_front();
    }
    if (ec) {
      self->failed_ = true;
      self->writing_ = false;
      beast::get_lowest_layer(self->ws_).close();
      return;
    }
    self->write_next();
  });
}

void ws_connection::close() {
  if (closing_) return;
  closing_ = true;
  listener_.reset();
  if (!writing_) finish_close();
}

void ws_connection::finish_close() {
  if (closed_sent_ || failed_) return;
  closed_sent_ = true;
  ws_.async_close(websocket::close_code::normal,
                  [self = shared_from_this()](beast::error_code) { beast::get_lowest_layer(self->ws_).close(); });
}

}  // namespace sio::transport

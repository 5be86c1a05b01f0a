#include "core/transport/ws_connection.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace sio::transport {

namespace {

constexpr std::size_t small_buffer = 256;      // what an idle connection keeps
constexpr std::size_t max_buffer = 64 * 1024;  // grown beyond only for a single large frame
constexpr std::size_t kept_write_capacity = 4096;

std::uint64_t seed_for(const void* p) {
  const auto t = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return (reinterpret_cast<std::uintptr_t>(p) * 0x9e3779b97f4a7c15ull) ^ t ^ 0x5851f42d4c957f2dull;
}

}  // namespace

ws_connection::ws_connection(tcp::socket socket, ws_role role, std::size_t max_message, std::size_t max_output,
                             std::chrono::milliseconds close_timeout)
    : socket_(std::move(socket)),
      role_(role),
      reader_(max_message, role == ws_role::server),
      mask_state_(seed_for(this) | 1),
      max_output_(max_output),
      close_timeout_(close_timeout) {
  error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
}

void ws_connection::start(std::string_view leftover) {
  capacity_ = std::max(small_buffer, leftover.size() * 2);
  buffer_.reset(new char[capacity_]);
  if (!leftover.empty()) std::memcpy(buffer_.get(), leftover.data(), leftover.size());
  have_ = 0;
  if (!leftover.empty()) {
    on_read(leftover.size());
  } else {
    read_more(false);
  }
}

void ws_connection::read_more(bool filled) {
  if (have_ == capacity_ || (filled && capacity_ < max_buffer)) {
    // A frame larger than the buffer is arriving, or a read filled it and more is waiting:
    // grow (the reader enforces the message size limit).
    auto bigger = std::make_unique<char[]>(capacity_ * 2);
    std::memcpy(bigger.get(), buffer_.get(), have_);
    buffer_ = std::move(bigger);
    capacity_ *= 2;
  }
  socket_.async_read_some(net::buffer(buffer_.get() + have_, capacity_ - have_),
                          [self = shared_from_this()](error_code ec, std::size_t n) {
                            if (self->failed_ || self->closing_) return;
                            if (ec) {
                              self->fail();
                              return;
                            }
                            self->on_read(n);
                          });
}

void ws_connection::on_read(std::size_t n) {
  auto self = shared_from_this();  // a listener may drop its reference during a callback
  const bool filled = n == capacity_ - have_;
  have_ += n;
  const auto used = reader_.consume(buffer_.get(), have_, *this);
  if (!used) {
    auto l = std::move(listener_);
    const auto e = used.error();
    close(e == codec_error::ws_message_too_large ? 1009 : e == codec_error::invalid_utf8 ? 1007 : 1002);
    if (l) l->on_ws_closed(*this);
    return;
  }
  if (failed_ || closing_) return;
  have_ -= *used;
  if (have_ > 0) std::memmove(buffer_.get(), buffer_.get() + *used, have_);
  // A big message grew the buffer; once the socket is drained and what is left fits, go back
  // to the small one, so that an idle connection does not sit on its high-water mark.
  if (!filled && have_ <= small_buffer && capacity_ > small_buffer) {
    auto smaller = std::make_unique<char[]>(small_buffer);
    std::memcpy(smaller.get(), buffer_.get(), have_);
    buffer_ = std::move(smaller);
    capacity_ = small_buffer;
  }
  if (buffered_bytes() > max_output_) {
    read_paused_ = true;  // the write completion resumes reading
    return;
  }
  read_more(filled);
}

void ws_connection::on_message(std::string_view data, bool binary) {
  if (failed_ || closing_) return;
  if (listener_) listener_->on_ws_message(*this, data, binary);
}

void ws_connection::on_control(wsframe::opcode op, std::string_view payload) {
  if (failed_ || closing_) return;
  if (op == wsframe::opcode::ping) {
    write_frame(wsframe::opcode::pong, payload);
  } else if (op == wsframe::opcode::close) {
    // Answer with the peer's code, then the socket goes once it is written.
    auto l = std::move(listener_);
    start_closing();
    write_frame(wsframe::opcode::close, payload.substr(0, 2));
    if (l) l->on_ws_closed(*this);
  }
}

void ws_connection::send(bool binary, std::string_view payload) {
  if (closing_ || failed_) return;
  write_frame(binary ? wsframe::opcode::binary : wsframe::opcode::text, payload);
}

void ws_connection::write_frame(wsframe::opcode op, std::string_view payload) {
  char head[wsframe::max_header_size];
  std::optional<std::uint32_t> mask;
  if (role_ == ws_role::client) {
    // xorshift64*: a fresh key per frame, cheap enough for a load generator.
    mask_state_ ^= mask_state_ >> 12;
    mask_state_ ^= mask_state_ << 25;
    mask_state_ ^= mask_state_ >> 27;
    mask = static_cast<std::uint32_t>((mask_state_ * 0x2545f4914f6cdd1dull) >> 32);
  }
  const std::size_t h = wsframe::write_header(head, op, payload.size(), mask);
  const std::size_t at = outbox_.size();
  outbox_.append(head, h);
  outbox_.append(payload);
  if (mask) wsframe::apply_mask(outbox_.data() + at + h, payload.size(), *mask);
  if (!writing_ && !flush_posted_) {
    // Deferred, so that everything sent during this turn goes out in one write.
    flush_posted_ = true;
    net::post(socket_.get_executor(), [self = shared_from_this()] {
      self->flush_posted_ = false;
      self->flush();
    });
  }
}

void ws_connection::flush() {
  if (writing_ || failed_) return;
  if (outbox_.empty()) {
    if (closing_) finish();
    return;
  }
  inflight_.swap(outbox_);
  writing_ = true;
  net::async_write(socket_, net::buffer(inflight_), [self = shared_from_this()](error_code ec, std::size_t) {
    self->writing_ = false;
    self->inflight_.clear();
    if (self->inflight_.capacity() > kept_write_capacity) std::string().swap(self->inflight_);
    if (ec) {
      self->fail();
      return;
    }
    self->flush();
    if (self->read_paused_ && self->buffered_bytes() <= self->max_output_ && !self->closing_ && !self->failed_) {
      self->read_paused_ = false;
      self->read_more(false);
    }
  });
}

void ws_connection::close(std::uint16_t code) {
  if (closing_ || failed_) return;
  start_closing();
  listener_.reset();
  const char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
  write_frame(wsframe::opcode::close, std::string_view(payload, 2));
}

void ws_connection::start_closing() {
  closing_ = true;
  close_timer_ = std::make_unique<net::steady_timer>(socket_.get_executor());
  close_timer_->expires_after(close_timeout_);
  close_timer_->async_wait([self = shared_from_this()](error_code ec) {
    if (!ec) self->drop();
  });
}

void ws_connection::fail() {
  if (failed_) return;
  drop();
  if (auto l = std::move(listener_)) l->on_ws_closed(*this);
}

void ws_connection::drop() {
  if (failed_) return;
  failed_ = true;
  // inflight_ goes when the aborted write completes, the rest with the last handler.
  std::string().swap(outbox_);
  if (close_timer_) close_timer_->cancel();
  error_code ignored;
  socket_.close(ignored);
}

void ws_connection::finish() {
  if (failed_) return;
  failed_ = true;  // nothing more goes either way
  if (close_timer_) close_timer_->cancel();
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace sio::transport

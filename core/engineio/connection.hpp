#pragma once
// The seam between the Engine.IO layer and what runs on top of it (the Socket.IO server, or
// the eio-echo app). Nothing here needs Asio, so the Socket.IO server compiles without it.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sio::engineio {

// One Engine.IO packet ready for the wire. Text: the whole packet with its type digit
// ("42[...]"); binary: the raw message bytes. Shared so that a broadcast is encoded once and
// its buffer queued for every recipient.
struct frame {
  std::shared_ptr<const std::string> data;
  bool binary = false;
};

// A FIFO of frames that allocates nothing while empty (libstdc++'s deque allocates a 512-byte
// block up front, which would cost every idle connection) and gives its memory back once drained.
class frame_queue {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  const frame& front() const { return items_[head_]; }
  void push_back(const frame& f) { items_.push_back(f); }
  void pop_front() {
    if (++head_ == items_.size()) clear();
  }
  void clear() {
    items_.clear();
    head_ = 0;
    if (items_.capacity() > 16) items_.shrink_to_fit();
  }
  auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() const { return items_.end(); }

 private:
  std::vector<frame> items_;
  std::size_t head_ = 0;
};

inline frame text_frame(std::string s) { return {std::make_shared<const std::string>(std::move(s)), false}; }
inline frame binary_frame(std::string s) { return {std::make_shared<const std::string>(std::move(s)), true}; }

// An Engine.IO session as the layer above sees it.
class connection {
 public:
  virtual const std::string& sid() const = 0;
  virtual std::string_view transport_name() const = 0;
  virtual std::string_view remote_address() const = 0;
  virtual void send(const frame& f) = 0;
  // Closes the session; `reason` is reported to the handler's on_close.
  virtual void close(std::string_view reason) = 0;
  // One single-shot timer per connection (the Socket.IO connect timeout); re-arming replaces it.
  virtual void set_timer(std::chrono::milliseconds after, std::function<void()> fn) = 0;
  virtual void cancel_timer() = 0;

 protected:
  ~connection() = default;
};

// What the Engine.IO layer calls. `data` is only valid during the call.
class connection_handler {
 public:
  virtual void on_open(connection& c) = 0;
  virtual void on_message(connection& c, std::string_view data, bool binary) = 0;
  virtual void on_close(connection& c, std::string_view reason) = 0;

 protected:
  ~connection_handler() = default;
};

}  // namespace sio::engineio

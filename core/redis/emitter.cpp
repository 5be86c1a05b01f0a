#include "core/redis/emitter.hpp"

#include <memory>

#include "core/common/json_scan.hpp"
#include "core/redis/connection.hpp"

namespace sio::redis {

namespace {

class one_shot : public connection_listener, public std::enable_shared_from_this<one_shot> {
 public:
  one_shot(net::any_io_executor ex, std::function<void(emit_outcome)> done) : timer_(ex), done_(std::move(done)) {}

  void begin(net::any_io_executor ex, const endpoint& where, std::string channel, std::string payload,
             std::chrono::milliseconds timeout) {
    outcome_.channel = std::move(channel);
    payload_ = std::move(payload);
    conn_ = std::make_shared<connection>(ex, where, this);
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->finish(self->last_error_.empty() ? "timed out" : "timed out: " + self->last_error_);
    });
    keep_ = shared_from_this();
    conn_->start();
  }

 private:
  void on_redis_up() override {
    conn_->command({"PUBLISH", outcome_.channel, payload_}, [self = shared_from_this()](result<reply> r) {
      if (!r) return self->finish(r.error().message());
      if (r->type == reply_type::error) return self->finish(r->str);
      self->outcome_.receivers = r->integer;
      self->finish({});
    });
  }
  void on_redis_down(std::string_view why) override { last_error_ = std::string(why); }
  void on_redis_refused(std::string_view why) override { finish(std::string(why)); }

  void finish(std::string error) {
    if (!done_) return;
    timer_.cancel();
    outcome_.error = std::move(error);
    conn_->stop();
    auto done = std::move(done_);
    done_ = nullptr;
    done(outcome_);
    keep_.reset();
  }

  net::steady_timer timer_;
  std::function<void(emit_outcome)> done_;
  std::shared_ptr<connection> conn_;
  std::shared_ptr<one_shot> keep_;  // alive until finished
  emit_outcome outcome_;
  std::string payload_;
  std::string last_error_;
};

}  // namespace

void publish_emit(net::any_io_executor ex, const emit_request& r, std::chrono::milliseconds timeout,
                  std::function<void(emit_outcome)> done) {
  broadcast_message m;
  m.uid = std::string(emitter_uid);
  m.packet.type = r.attachments.empty() ? socketio::packet_type::event : socketio::packet_type::binary_event;
  m.packet.nsp = r.nsp;
  std::string data = "[";
  json::quote_append(r.event, data);
  for (const auto& a : r.args) {
    data.push_back(',');
    data += a;
  }
  data.push_back(']');
  m.packet.data = std::move(data);
  m.packet.attachments = r.attachments;
  m.opts.rooms = r.rooms;
  m.opts.except = r.except;
  if (r.is_volatile) m.opts.flags.is_volatile = true;
  auto bytes = encode_broadcast(m, producer::emitter);
  if (!bytes) {
    done({bytes.error().message(), {}, 0});
    return;
  }
  const channels names(r.key);
  auto job = std::make_shared<one_shot>(ex, std::move(done));
  job->begin(ex, r.where, names.broadcast_for(r.nsp, r.rooms), std::move(*bytes), timeout);
}

}  // namespace sio::redis

#include "core/redis/emitter.hpp"

#include <memory>

#include "core/common/json_scan.hpp"
#include "core/redis/connection.hpp"

namespace sio::redis {

namespace {

class one_shot : public connection_listener, public std::enable_shared_from_this<one_shot> {
 public:
  one_shot(net::any_io_executor ex, std::function<void(emit_outcome)> done) : timer_(ex), done_(std::move(done)) {}

  // `verb` is PUBLISH or SPUBLISH.
  void begin(net::any_io_executor ex, const endpoint& where, std::string verb, std::string channel, std::string payload,
             std::chrono::milliseconds timeout) {
    verb_ = std::move(verb);
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
    conn_->command({verb_, outcome_.channel, payload_}, [self = shared_from_this()](result<reply> r) {
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
  std::string verb_;
  std::string payload_;
  std::string last_error_;
};

}  // namespace

void publish_emit(net::any_io_executor ex, const emit_request& r, std::chrono::milliseconds timeout,
                  std::function<void(emit_outcome)> done) {
  socketio::packet packet;
  packet.type = r.attachments.empty() ? socketio::packet_type::event : socketio::packet_type::binary_event;
  packet.nsp = r.nsp;
  std::string data = "[";
  json::quote_append(r.event, data);
  for (const auto& a : r.args) {
    data.push_back(',');
    data += a;
  }
  data.push_back(']');
  packet.data = std::move(data);
  packet.attachments = r.attachments;
  broadcast_options opts;
  opts.rooms = r.rooms;
  opts.except = r.except;
  if (r.is_volatile) opts.flags.is_volatile = true;

  result<std::string> bytes;
  std::string channel;
  if (r.sharded) {
    cluster_message m;
    m.type = cluster_type::broadcast;
    m.uid = std::string(emitter_uid);
    m.nsp = r.nsp;
    m.packet = std::move(packet);
    m.opts = std::move(opts);
    bytes = encode_cluster_message(m);
    channel = shard_channels(r.key, r.mode).broadcast_for(r.nsp, r.rooms, false);
  } else {
    bytes = encode_broadcast({std::string(emitter_uid), std::move(packet), std::move(opts)}, producer::emitter);
    channel = channels(r.key).broadcast_for(r.nsp, r.rooms);
  }
  if (!bytes) {
    done({bytes.error().message(), {}, 0});
    return;
  }
  auto job = std::make_shared<one_shot>(ex, std::move(done));
  job->begin(ex, r.where, r.sharded ? "SPUBLISH" : "PUBLISH", std::move(channel), std::move(*bytes), timeout);
}

}  // namespace sio::redis

// The full link: the Engine.IO client core (polling, the upgrade, TLS), for what the lean
// link does not cover.
#include "core/bench/link.hpp"

namespace sio::bench {

namespace {

class full_link final : public link, public client::engine_handler {
 public:
  full_link(const link_target& t, link_events& events) : target_(t), events_(&events) {}
  ~full_link() override { close(); }

  void start() override {
    engine_ = std::make_shared<client::engine_client>(target_.ex, *target_.engine,
                                                      static_cast<client::engine_handler&>(*this));
    engine_->start();
  }

  void send_message(std::string_view message, bool binary) override {
    if (engine_) engine_->send({std::make_shared<const std::string>(message), binary});
  }

  void close() override {
    events_ = nullptr;
    if (auto e = std::move(engine_)) {
      e->detach();
      e->close();
    }
  }

 private:
  void on_open(const engineio::handshake&) override {
    if (events_) events_->on_link_open();
  }
  void on_message(std::string_view data, bool binary) override {
    if (events_) events_->on_link_message(data, binary);
  }
  void on_close(std::string_view reason, std::string_view) override {
    if (auto* e = std::exchange(events_, nullptr)) e->on_link_closed(reason);
  }

  const link_target& target_;
  link_events* events_;
  std::shared_ptr<client::engine_client> engine_;
};

}  // namespace

std::unique_ptr<link> make_full_link(const link_target& t, link_events& events) {
  return std::make_unique<full_link>(t, events);
}

}  // namespace sio::bench

// The parser seam: the JSON parser's encode, decode, peek and append_event, and a second parser
// (a toy that frames every packet as one binary message) driving the unchanged server and
// apps, as the msgpack parser will.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/server/apps.hpp"
#include "core/server/sio_server.hpp"
#include "core/socketio/parser.hpp"
#include "tests/support/fake_connection.hpp"

using sio::socketio::packet;
using sio::socketio::packet_type;
using sio::test::fake_connection;
using strings = std::vector<std::string>;

namespace {

// Every packet is one binary message "T" + the JSON parser's text (attachments inline as
// base64 would be in a real format; this toy simply refuses them).
class boxed_parser final : public sio::socketio::parser {
 public:
  std::string_view name() const override { return "boxed"; }

  class decoder final : public sio::socketio::packet_decoder {
   public:
    explicit decoder(const sio::socketio::decoder_limits& l) : inner_(sio::socketio::json_parser().make_decoder(l)) {}
    sio::result<std::optional<packet>> on_message(std::string_view m, bool binary) override {
      if (!binary || m.empty() || m[0] != 'T') return sio::codec_error::invalid_payload;
      return inner_->on_message(m.substr(1), false);
    }
    void reset() override { inner_->reset(); }

   private:
    std::unique_ptr<sio::socketio::packet_decoder> inner_;
  };

  std::unique_ptr<sio::socketio::packet_decoder> make_decoder(const sio::socketio::decoder_limits& l) const override {
    return std::make_unique<decoder>(l);
  }
  sio::socketio::outgoing encode(const packet& p) const override {
    const auto json = sio::socketio::json_parser().encode(p);
    return {{sio::engineio::binary_frame("T" + json.frames.front().data->substr(1))}};
  }
  bool append_event(std::string& out, std::string_view nsp, std::optional<std::uint64_t> id, std::string_view name,
                    std::span<const std::string_view> args) const override {
    out.push_back('T');
    sio::socketio::json_parser().append_event(out, nsp, id, name, args);
    out.erase(1, 1);  // the Engine.IO type the JSON parser wrote
    return true;
  }
  std::optional<sio::socketio::packet_head> peek(std::string_view m, bool binary, std::string& scratch) const override {
    if (!binary || m.empty() || m[0] != 'T') return std::nullopt;
    return sio::socketio::json_parser().peek(m.substr(1), false, scratch);
  }
};

}  // namespace

TEST_CASE("json parser: encode, decode and the hot-path helpers agree on the wire") {
  const auto& json = sio::socketio::json_parser();
  CHECK(json.name() == "json");
  CHECK(sio::socketio::find_parser("json") == &json);
  CHECK(sio::socketio::find_parser("msgpack") == nullptr);

  packet p;
  p.type = packet_type::event;
  p.nsp = "/admin";
  p.id = 7;
  p.data = R"(["chat",{"_placeholder":true,"num":0}])";
  p.attachments = {"\x01\x02"};
  const auto o = json.encode(p);
  REQUIRE(o.frames.size() == 2);
  CHECK(*o.frames[0].data == R"(451-/admin,7["chat",{"_placeholder":true,"num":0}])");
  CHECK_FALSE(o.frames[0].binary);
  CHECK(*o.frames[1].data == "\x01\x02");
  CHECK(o.frames[1].binary);

  auto d = json.make_decoder({});
  auto first = d->on_message(std::string_view(*o.frames[0].data).substr(1), false);
  REQUIRE(first.has_value());
  CHECK_FALSE(first->has_value());  // waiting for the attachment
  auto whole = d->on_message(*o.frames[1].data, true);
  REQUIRE(whole.has_value());
  REQUIRE(whole->has_value());
  p.type = packet_type::binary_event;  // an EVENT with attachments travels as BINARY_EVENT
  CHECK(**whole == p);

  std::string out;
  const std::string_view args[] = {"1", R"("x")"};
  CHECK_FALSE(json.append_event(out, "/admin", 12, R"("bench")", args));
  CHECK(out == R"(42/admin,12["bench",1,"x"])");
  out.clear();
  json.append_event(out, "/", std::nullopt, R"("e")", {});
  CHECK(out == R"(42["e"])");

  std::string scratch;
  auto head = json.peek(R"(3/admin,12["ok"])", false, scratch);
  REQUIRE(head);
  CHECK(head->type == packet_type::ack);
  CHECK(head->nsp == "/admin");
  CHECK(head->id == 12u);
  CHECK(head->data == R"(["ok"])");
  head = json.peek(R"(51-["a",{"_placeholder":true,"num":0}])", false, scratch);
  REQUIRE(head);
  CHECK(head->type == packet_type::binary_event);
  CHECK(head->nsp == "/");
  CHECK_FALSE(head->id);
  CHECK(head->data == R"(["a",{"_placeholder":true,"num":0}])");
  CHECK_FALSE(json.peek("", false, scratch));
  CHECK_FALSE(json.peek("9", false, scratch));
  CHECK_FALSE(json.peek("2[]", true, scratch));
}

TEST_CASE("parser seam: a second parser drives the unchanged server and echo app") {
  const boxed_parser boxed;
  sio::server::echo_app app;
  sio::server::sio_options options;
  options.parser = &boxed;
  sio::server::sio_server server(options, app);
  fake_connection c;
  server.on_open(c);

  server.on_message(c, "T0", true);
  auto sent = c.take();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].starts_with("<bin:T0{\"sid\":\""));
  CHECK(sent[1] == R"(<bin:T2["auth",{}]>)");

  server.on_message(c, R"(T23["hello","w"])", true);
  CHECK(c.take() == strings{R"(<bin:T33["w"]>)"});  // the echo app acks with the arguments

  // A text message is not this parser's: the connection closes, as for any parse error.
  server.on_message(c, R"(2["x"])", false);
  CHECK(c.closed);
  CHECK(c.close_reason == "parse error");
}

// The sharded adapter's messages: exact bytes as Node writes them, and back.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/jsvalue/msgpack.hpp"
#include "core/redis/sharded_messages.hpp"

using namespace std::string_literals;
using namespace std::string_view_literals;
namespace redis = sio::redis;
namespace sock = sio::socketio;
using redis::cluster_message;
using redis::cluster_type;

namespace {

cluster_message message(cluster_type type, std::string uid = "2f823330a0713ceb") {
  cluster_message m;
  m.type = type;
  m.uid = std::move(uid);
  return m;
}

sock::packet event(std::string data, std::vector<std::string> attachments = {}) {
  sock::packet p;
  p.type = attachments.empty() ? sock::packet_type::event : sock::packet_type::binary_event;
  p.data = std::move(data);
  p.attachments = std::move(attachments);
  return p;
}

std::string encoded(const cluster_message& m) {
  auto bytes = redis::encode_cluster_message(m);
  REQUIRE(bytes.has_value());
  return *bytes;
}

cluster_message decoded(std::string_view bytes) {
  auto m = redis::decode_cluster_message(bytes);
  REQUIRE(m.has_value());
  return *m;
}

}  // namespace

TEST_CASE("sharded: channel names and where a broadcast goes") {
  const redis::shard_channels dynamic;
  CHECK(dynamic.main("/") == "socket.io#/#");
  CHECK(dynamic.room("/admin", "room1") == "socket.io#/admin#room1#");
  CHECK(dynamic.responses("/", "2f823330a0713ceb") == "socket.io#/#2f823330a0713ceb#");
  const std::vector<std::string> none, one = {"room1"}, two = {"room1", "r2"}, sid = {"zzzu-PDztUXFOOW_AAAB"};
  CHECK(dynamic.broadcast_for("/", none, false) == "socket.io#/#");
  CHECK(dynamic.broadcast_for("/", one, false) == "socket.io#/#room1#");
  CHECK(dynamic.broadcast_for("/", one, true) == "socket.io#/#");  // acks: counted on the main channel
  CHECK(dynamic.broadcast_for("/", two, false) == "socket.io#/#");
  CHECK(dynamic.broadcast_for("/", sid, false) == "socket.io#/#");  // looks like a socket id
  CHECK_FALSE(dynamic.publishes_on_room_channel("zzzu-PDztUXFOOW_AAAB"));
  // 20 code units, as JavaScript counts them: 9 x "é" (2 bytes, 1 unit) + "10" is 11 units, not 20
  CHECK(dynamic.publishes_on_room_channel("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e910"));
  CHECK_FALSE(dynamic.publishes_on_room_channel("\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600abcdefghij"));
  CHECK(dynamic.subscribes_to_room_channel(false));
  CHECK_FALSE(dynamic.subscribes_to_room_channel(true));

  const redis::shard_channels priv("socket.io", redis::subscription_mode::dynamic_private);
  CHECK(priv.broadcast_for("/", sid, false) == "socket.io#/#zzzu-PDztUXFOOW_AAAB#");
  const redis::shard_channels fixed("app", redis::subscription_mode::static_mode);
  CHECK(fixed.broadcast_for("/", one, false) == "app#/#");
  CHECK_FALSE(fixed.publishes_on_room_channel("room1"));
  CHECK_FALSE(fixed.subscribes_to_room_channel(false));
  CHECK(priv.subscribes_to_room_channel(true));
}

TEST_CASE("sharded: a broadcast is JSON with no nsp in the packet, as observed") {
  auto m = message(cluster_type::broadcast);
  m.packet = event(R"(["news",1,{"x":1}])");
  m.packet->nsp = "/";
  m.opts.emplace();
  const auto wire =
      R"({"type":3,"data":{"packet":{"type":2,"data":["news",1,{"x":1}]},"opts":{"rooms":[],"except":[],"flags":{}}},"uid":"2f823330a0713ceb","nsp":"/"})"s;
  CHECK(encoded(m) == wire);
  auto back = decoded(wire);
  CHECK(back.type == cluster_type::broadcast);
  REQUIRE(back.packet);
  CHECK(back.packet->nsp == "/");
  CHECK(back.packet->data == R"(["news",1,{"x":1}])");
  CHECK(back == m);

  // with acks: the requestId between packet and opts, and the namespace from the envelope
  m.nsp = "/admin";
  m.packet->nsp = "/admin";
  m.request_id = "1a6e";
  m.opts->flags.timeout = 500;
  CHECK(
      encoded(m) ==
      R"({"type":3,"data":{"packet":{"type":2,"data":["news",1,{"x":1}]},"requestId":"1a6e","opts":{"rooms":[],"except":[],"flags":{"timeout":500}}},"uid":"2f823330a0713ceb","nsp":"/admin"})");
  CHECK(decoded(encoded(m)) == m);
}

TEST_CASE("sharded: binary goes as msgpack, and comes back as attachments") {
  auto m = message(cluster_type::broadcast);
  m.packet = event(R"(["bin",{"_placeholder":true,"num":0}])", {"\x01\x02\x03"s});
  m.opts = redis::broadcast_options{{"room1"}, {}, {}};
  const auto bytes = encoded(m);
  REQUIRE_FALSE(bytes.empty());
  CHECK(bytes.front() != '{');
  auto tree = sio::jsvalue::msgpack::decode(bytes);
  REQUIRE(tree.has_value());
  CHECK((*tree)["data"]["packet"]["data"][1].is_binary());
  CHECK(decoded(bytes) == m);

  auto ack = message(cluster_type::broadcast_ack);
  ack.request_id = "r1";
  ack.value = redis::payload{R"({"_placeholder":true,"num":0})", {"\xff"s}};
  CHECK(encoded(ack).front() != '{');
  CHECK(decoded(encoded(ack)) == ack);
  ack.value = redis::payload{R"("text")", {}};  // no binary: JSON
  CHECK(encoded(ack) == R"({"type":12,"data":{"requestId":"r1","packet":"text"},"uid":"2f823330a0713ceb","nsp":"/"})");
  ack.value.reset();  // an ack without arguments: `undefined`, left out
  CHECK(encoded(ack) == R"({"type":12,"data":{"requestId":"r1"},"uid":"2f823330a0713ceb","nsp":"/"})");
}

TEST_CASE("sharded: requests and responses in Node's shapes") {
  auto emit =
      decoded(R"({"type":9,"data":{"requestId":"0a1b","packet":["hello-servers","hi"]},"uid":"2f82","nsp":"/"})");
  CHECK(emit.type == cluster_type::server_side_emit);
  CHECK(emit.request_id == "0a1b");
  REQUIRE(emit.value);
  CHECK(emit.value->json == R"(["hello-servers","hi"])");

  auto answer = message(cluster_type::server_side_emit_response, "2ed2");
  answer.request_id = "0a1b";
  answer.value = redis::payload{R"("ack-from-3011")", {}};
  CHECK(encoded(answer) ==
        R"({"type":10,"data":{"requestId":"0a1b","packet":"ack-from-3011"},"uid":"2ed2","nsp":"/"})");

  auto join = decoded(
      R"({"type":4,"data":{"opts":{"rooms":[],"except":["x"],"flags":{}},"rooms":["room9"]},"uid":"u","nsp":"/"})");
  CHECK(join.type == cluster_type::sockets_join);
  CHECK(join.rooms == std::vector<std::string>{"room9"});
  REQUIRE(join.opts);
  CHECK(join.opts->except == std::vector<std::string>{"x"});
  CHECK(encoded(join) ==
        R"({"type":4,"data":{"opts":{"rooms":[],"except":["x"],"flags":{}},"rooms":["room9"]},"uid":"u","nsp":"/"})");

  auto bye = decoded(R"({"type":6,"data":{"opts":{"rooms":["r"],"except":[]},"close":true},"uid":"u","nsp":"/"})");
  CHECK(bye.close == true);

  auto fetch =
      decoded(R"({"type":7,"data":{"opts":{"rooms":[],"except":[],"flags":{}},"requestId":"f1"},"uid":"u","nsp":"/"})");
  CHECK(fetch.type == cluster_type::fetch_sockets);
  CHECK(fetch.request_id == "f1");
  auto sockets = message(cluster_type::fetch_sockets_response, "me");
  sockets.request_id = "f1";
  sockets.sockets = std::vector<redis::fetched_socket>{{"id1", R"({"auth":{}})", {"id1", "r"}, {}}};
  CHECK(
      encoded(sockets) ==
      R"({"type":8,"data":{"requestId":"f1","sockets":[{"id":"id1","handshake":{"auth":{}},"rooms":["id1","r"]}]},"uid":"me","nsp":"/"})");
  CHECK(decoded(encoded(sockets)) == sockets);

  auto count = message(cluster_type::broadcast_client_count, "me");
  count.request_id = "1a6e";
  count.client_count = 3;
  CHECK(encoded(count) == R"({"type":11,"data":{"requestId":"1a6e","clientCount":3},"uid":"me","nsp":"/"})");

  auto beat = decoded(R"({"type":2,"uid":"u","nsp":"/"})");
  CHECK(beat.type == cluster_type::heartbeat);
  CHECK(encoded(beat) == R"({"type":2,"uid":"u","nsp":"/"})");
}

TEST_CASE("sharded: bad messages are errors, never crashes") {
  for (std::string_view bad :
       {""sv, "{"sv, "[]"sv, R"({"uid":"u"})"sv, R"({"type":"3"})"sv, R"({"type":0})"sv, R"({"type":14})"sv,
        R"({"type":3,"data":{}})"sv, R"({"type":3,"data":[]})"sv, R"({"type":11,"data":{"requestId":"r"}})"sv,
        R"({"type":8,"data":{"sockets":{}}})"sv, R"({"type":3,"uid":5,"data":{"packet":{"type":2}}})"sv, "\xc1"sv})
    CHECK_MESSAGE(!redis::decode_cluster_message(bad).has_value(), bad);
  auto ok = redis::decode_cluster_message(R"({"type":3,"data":{"packet":{"type":2,"data":["e"]}}})");
  REQUIRE(ok.has_value());  // Node's decodeOptions copes with missing opts; so do we
  CHECK(ok->nsp == "/");
  CHECK(ok->uid.empty());
}

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/jsvalue/msgpack.hpp"
#include "core/redis/adapter_messages.hpp"
#include "core/redis/resp.hpp"
#include "tests/support/spec_bytes.hpp"
#include "tests/support/splits.hpp"

using namespace std::string_literals;
namespace redis = sio::redis;
using sio::test::hex;
using sio::test::spec_bytes;
namespace sock = sio::socketio;
using redis::request_type;

namespace {

sock::packet event(std::string data, std::vector<std::string> attachments = {}, std::string nsp = "/") {
  sock::packet p;
  p.type = attachments.empty() ? sock::packet_type::event : sock::packet_type::binary_event;
  p.nsp = std::move(nsp);
  p.data = std::move(data);
  p.attachments = std::move(attachments);
  return p;
}

redis::broadcast_options opts(std::vector<std::string> rooms = {}, std::vector<std::string> except = {},
                              redis::broadcast_flags flags = {}) {
  return {std::move(rooms), std::move(except), flags};
}

sio::error_code err(redis::redis_error e) { return redis::make_error_code(e); }
sio::error_code err(sio::jsvalue::jsvalue_error e) { return sio::jsvalue::make_error_code(e); }
using J = sio::jsvalue::jsvalue_error;

}  // namespace

TEST_CASE("adapter: channel names") {
  const redis::channels ch;
  CHECK(ch.key() == "socket.io");
  CHECK(ch.broadcast("/") == "socket.io#/#");
  CHECK(ch.broadcast("/admin") == "socket.io#/admin#");
  CHECK(ch.broadcast("/", "room1") == "socket.io#/#room1#");
  CHECK(ch.broadcast_pattern("/") == "socket.io#/#*");
  CHECK(ch.request("/") == "socket.io-request#/#");
  CHECK(ch.response("/") == "socket.io-response#/#");
  CHECK(ch.response("/", "xXJiA4") == "socket.io-response#/#xXJiA4#");

  const std::vector<std::string> none, one = {"room1"}, two = {"room1", "r2"};
  CHECK(ch.broadcast_for("/", none) == "socket.io#/#");
  CHECK(ch.broadcast_for("/", one) == "socket.io#/#room1#");
  CHECK(ch.broadcast_for("/", two) == "socket.io#/#");

  const redis::channels custom("my-app");
  CHECK(custom.broadcast("/chat", "a#b") == "my-app#/chat#a#b#");
  CHECK(custom.request("/chat") == "my-app-request#/chat#");
  CHECK(redis::channels("k*[x]?\\").broadcast_pattern("/n*") == "k\\*\\[x\\]\\?\\\\#/n\\*#*");
}

TEST_CASE("adapter: which channel a message came on") {
  using K = redis::channel_kind;
  const redis::channels ch;
  const struct {
    const char* channel;
    const char* nsp;
    std::optional<redis::channel_match> match;
  } rows[] = {
      {"socket.io#/#", "/", redis::channel_match{K::broadcast, ""}},
      {"socket.io#/#room1#", "/", redis::channel_match{K::broadcast, "room1"}},
      {"socket.io#/#a#b#", "/", redis::channel_match{K::broadcast, "a#b"}},
      {"socket.io#/admin#", "/admin", redis::channel_match{K::broadcast, ""}},
      {"socket.io-request#/#", "/", redis::channel_match{K::request, ""}},
      {"socket.io-response#/#", "/", redis::channel_match{K::response, ""}},
      {"socket.io-response#/#xXJiA4#", "/", redis::channel_match{K::response, "xXJiA4"}},
      {"socket.io#/admin#", "/", std::nullopt},
      {"socket.io#/#", "/admin", std::nullopt},
      {"socket.io#/#room1", "/", std::nullopt},
      {"socket.io#/##", "/", std::nullopt},
      {"socket.io-request#/#x#", "/", std::nullopt},
      {"other#/#", "/", std::nullopt},
      {"", "/", std::nullopt},
  };
  for (const auto& row : rows) {
    CAPTURE(row.channel);
    CHECK(ch.match(row.channel, row.nsp) == row.match);
  }
}

TEST_CASE("adapter: broadcasts, the exact bytes observed as Node writes them") {
  redis::broadcast_flags is_volatile;
  is_volatile.is_volatile = true;
  redis::broadcast_flags timeout;
  timeout.timeout = 500;
  const struct {
    const char* what;
    redis::broadcast_message message;
    redis::producer producer;
    const char* channel;
    const char* bytes;
  } rows[] = {
      {"io.emit(\"news\",1,{x:1})",
       {"xXJiA4", event(R"(["news",1,{"x":1}])"), opts()},
       redis::producer::adapter,
       "socket.io#/#",
       R"(93 a6"xXJiA4" 83 a4"type" 02 a4"data" 93 a4"news" 01 81 a1"x" 01 a3"nsp" a1"/"
          83 a5"rooms" 90 a6"except" 90 a5"flags" 80)"},
      {"io.to(\"room1\").emit(\"bin\", Buffer[1,2,3])",
       {"xXJiA4", event(R"(["bin",{"_placeholder":true,"num":0}])", {"\x01\x02\x03"}), opts({"room1"})},
       redis::producer::adapter,
       "socket.io#/#room1#",
       R"(93 a6"xXJiA4" 83 a4"type" 02 a4"data" 92 a3"bin" c4 03 01 02 03 a3"nsp" a1"/"
          83 a5"rooms" 91 a5"room1" a6"except" 90 a5"flags" 80)"},
      {"io.volatile.emit(\"news\")",
       {"xXJiA4", event(R"(["news"])"), opts({}, {}, is_volatile)},
       redis::producer::adapter,
       "socket.io#/#",
       R"(93 a6"xXJiA4" 83 a4"type" 02 a4"data" 91 a4"news" a3"nsp" a1"/"
          83 a5"rooms" 90 a6"except" 90 a5"flags" 81 a8"volatile" c3)"},
      {"emitter.emit(\"from-emitter\",\"x\")",
       {"emitter", event(R"(["from-emitter","x"])"), opts()},
       redis::producer::emitter,
       "socket.io#/#",
       R"(93 a7"emitter" 83 a4"type" 02 a4"data" 92 ac"from-emitter" a1"x" a3"nsp" a1"/"
          83 a5"rooms" 90 a5"flags" 80 a6"except" 90)"},
      {"emitter.to(\"room1\").except(\"r2\").emit(\"e\")",
       {"emitter", event(R"(["e"])"), opts({"room1"}, {"r2"})},
       redis::producer::emitter,
       "socket.io#/#room1#",
       R"(93 a7"emitter" 83 a4"type" 02 a4"data" 91 a1"e" a3"nsp" a1"/"
          83 a5"rooms" 91 a5"room1" a5"flags" 80 a6"except" 91 a2"r2")"},
      {"emitter.of(\"/admin\").timeout(500)",
       {"emitter", event(R"(["e",1.5,null,true])", {}, "/admin"), opts({}, {}, timeout)},
       redis::producer::emitter,
       "socket.io#/admin#",
       R"(93 a7"emitter" 83 a4"type" 02 a4"data" 94 a1"e" cb 3f f8 00 00 00 00 00 00 c0 c3 a3"nsp" a6"/admin"
          83 a5"rooms" 90 a5"flags" 81 a7"timeout" cd 01 f4 a6"except" 90)"},
  };
  const redis::channels ch;
  for (const auto& row : rows) {
    CAPTURE(row.what);
    const std::string expected = spec_bytes(row.bytes);
    auto bytes = redis::encode_broadcast(row.message, row.producer);
    REQUIRE(bytes.has_value());
    CHECK(hex(*bytes) == hex(expected));
    CHECK(ch.broadcast_for(row.message.packet.nsp, row.message.opts.rooms) == row.channel);

    auto back = redis::decode_broadcast(expected);
    REQUIRE(back.has_value());
    CHECK(*back == row.message);
    CHECK(redis::is_for(*back, "other", row.message.packet.nsp));
    CHECK_FALSE(redis::is_for(*back, row.message.uid, row.message.packet.nsp));
    CHECK_FALSE(redis::is_for(*back, "other", "/elsewhere"));
  }
}

TEST_CASE("adapter: broadcasts are decoded as the Node adapter reads them") {
  // No nsp in the packet: "/". No rooms/except: empty. Rooms that are not strings: dropped.
  // Extra elements after opts: ignored. Flags of the wrong type: ignored.
  auto m = redis::decode_broadcast(spec_bytes(R"(94 a3"uid" 82 a4"type" 02 a4"data" 91 a1"e"
      83 a5"rooms" 93 a1"a" 01 c0 a5"flags" 83 a8"volatile" a3"yes" a8"compress" c2 a7"timeout" cb 40 8f 40 00 00 00 00 00
      a3"foo" c3
      c0)"));
  REQUIRE(m.has_value());
  CHECK(m->uid == "uid");
  CHECK(m->packet.nsp == "/");
  CHECK(m->packet.type == sock::packet_type::event);
  CHECK(m->packet.data == R"(["e"])");
  CHECK(m->opts.rooms == std::vector<std::string>{"a"});
  CHECK(m->opts.except.empty());
  CHECK_FALSE(m->opts.flags.is_volatile);
  CHECK(m->opts.flags.compress == false);
  CHECK(m->opts.flags.timeout == 1000);

  // Dates, undefined and binary deep in the arguments.
  auto d = redis::decode_broadcast(spec_bytes(R"(93 a1"u" 83 a4"type" 02 a4"data" 94 a1"e" d6 ff 39 45 79 80
      92 d4 00 00 81 a1"b" c4 01 ff 82 a1"u" d4 00 00 a1"v" c4 00 a3"nsp" a1"/" 80)"));
  REQUIRE(d.has_value());
  CHECK(d->packet.type == sock::packet_type::binary_event);
  CHECK(
      d->packet.data ==
      R"(["e","2000-06-13T00:00:00.000Z",[null,{"b":{"_placeholder":true,"num":0}}],{"v":{"_placeholder":true,"num":1}}])");
  CHECK(d->packet.attachments == std::vector<std::string>{"\xff", ""});

  // A packet with an ack id keeps it (broadcasts never have one, but it is not ours to drop).
  auto with_id = redis::decode_broadcast(spec_bytes(R"(93 a1"u" 84 a4"type" 02 a4"data" 91 a1"e" a3"nsp" a1"/"
      a2"id" 07 80)"));
  REQUIRE(with_id.has_value());
  CHECK(with_id->packet.id == 7u);
  auto again = redis::encode_broadcast(*with_id);
  REQUIRE(again.has_value());
  CHECK(*again == spec_bytes(R"(93 a1"u" 84 a4"type" 02 a4"data" 91 a1"e" a3"nsp" a1"/" a2"id" 07
      83 a5"rooms" 90 a6"except" 90 a5"flags" 80)"));
}

TEST_CASE("adapter: malformed broadcasts are errors") {
  using E = redis::redis_error;
  const std::pair<const char*, sio::error_code> rows[] = {
      {"80", err(E::invalid_message)},
      {R"(92 a1"u" 80)", err(E::invalid_message)},
      {R"(93 01 81 a4"type" 02 80)", err(E::invalid_message)},                // uid not a string
      {R"(93 a1"u" c0 80)", err(E::invalid_message)},                         // no packet
      {R"(93 a1"u" 81 a4"data" 90 80)", err(E::invalid_message)},             // no type
      {R"(93 a1"u" 81 a4"type" 00 80)", err(E::invalid_message)},             // CONNECT is no broadcast
      {R"(93 a1"u" 81 a4"type" a1"2" 80)", err(E::invalid_message)},          // type not a number
      {R"(93 a1"u" 82 a4"type" 02 a3"nsp" 01 80)", err(E::invalid_message)},  // nsp not a string
      {R"(93 a1"u" 82 a4"type" 02 a2"id" ff 80)", err(E::invalid_message)},   // negative ack id
      {R"(93 a1"u" 81 a4"type" 02 c0)", err(E::invalid_message)},             // no opts
      {R"(93 a1"u" 81 a4"type" 02 81 a5"rooms" 01)", err(E::invalid_message)},
      {R"(93 a1"u" 81 a4"type" 02 80 00)", err(J::msgpack_trailing_bytes)},
      {R"(93 a1"u" 81 a4"type" 02)", err(J::msgpack_truncated)},
      {"7b7d", err(J::msgpack_trailing_bytes)},  // broadcasts are msgpack only: '{' is fixint 123
  };
  for (const auto& [bytes, e] : rows) {
    CAPTURE(bytes);
    CHECK(redis::decode_broadcast(spec_bytes(bytes)).error() == e);
  }
  // Every prefix of a real message fails cleanly.
  const std::string whole = spec_bytes(R"(93 a6"xXJiA4" 83 a4"type" 02 a4"data" 92 a3"bin" c4 03 01 02 03 a3"nsp" a1"/"
      83 a5"rooms" 91 a5"room1" a6"except" 90 a5"flags" 80)");
  for (std::size_t n = 0; n < whole.size(); ++n) CHECK(redis::decode_broadcast(whole.substr(0, n)).has_error());
  // The depth limit applies to the whole message.
  std::string deep = spec_bytes(R"(93 a1"u" 82 a4"type" 02 a4"data")");
  for (int i = 0; i < 200; ++i) deep.push_back('\x91');
  deep += spec_bytes("01 80");
  CHECK(redis::decode_broadcast(deep).error() == err(J::msgpack_too_deep));

  // Encoding refuses packet data that is not JSON or names a missing attachment.
  CHECK(redis::encode_broadcast({"u", event("[\"e\",", {}), {}}).has_error());
  CHECK(redis::encode_broadcast({"u", event(R"(["e",{"_placeholder":true,"num":1}])", {"x"}), {}}).error() ==
        sio::make_error_code(sio::codec_error::invalid_placeholder));
}

TEST_CASE("adapter: requests, the JSON observed as Node writes them") {
  redis::request all_rooms;
  all_rooms.type = request_type::all_rooms;
  all_rooms.uid = "xXJiA4";
  all_rooms.request_id = "9TlB-h";

  redis::request fetch;
  fetch.type = request_type::remote_fetch;
  fetch.uid = "xXJiA4";
  fetch.request_id = "KJa_CT";
  fetch.opts = opts();

  redis::request emit_ack;
  emit_ack.type = request_type::server_side_emit;
  emit_ack.uid = "xXJiA4";
  emit_ack.request_id = "_BEpA3";
  emit_ack.data = R"(["hello-servers","hi"])";

  redis::request join;
  join.type = request_type::remote_join;
  join.uid = "xXJiA4";
  join.opts = opts();
  join.rooms = std::vector<std::string>{"room9"};

  redis::request emitter_join = join;
  emitter_join.uid.reset();
  emitter_join.opts = opts({"room1"}, {"r2"});

  redis::request emitter_leave = emitter_join;
  emitter_leave.type = request_type::remote_leave;

  redis::request emitter_disconnect;
  emitter_disconnect.type = request_type::remote_disconnect;
  emitter_disconnect.opts = opts({"room1"});
  emitter_disconnect.close = true;

  redis::request disconnect = emitter_disconnect;
  disconnect.uid = "xXJiA4";
  disconnect.close = false;

  redis::request emitter_emit;
  emitter_emit.type = request_type::server_side_emit;
  emitter_emit.uid = std::string(redis::emitter_uid);
  emitter_emit.data = R"(["hello",1,{"a":[]}])";

  redis::request sockets;
  sockets.type = request_type::sockets;
  sockets.uid = "xXJiA4";
  sockets.request_id = "abcdef";
  sockets.rooms = std::vector<std::string>{"room1", "room2"};

  redis::request legacy_join;
  legacy_join.type = request_type::remote_join;
  legacy_join.uid = "xXJiA4";
  legacy_join.request_id = "abcdef";
  legacy_join.sid = "zzzu-PDztUXFOOW_AAAB";
  legacy_join.room = "room1";

  redis::request legacy_disconnect;
  legacy_disconnect.type = request_type::remote_disconnect;
  legacy_disconnect.uid = "xXJiA4";
  legacy_disconnect.request_id = "abcdef";
  legacy_disconnect.sid = "zzzu-PDztUXFOOW_AAAB";
  legacy_disconnect.close = true;

  const std::pair<redis::request, const char*> rows[] = {
      {all_rooms, R"({"uid":"xXJiA4","requestId":"9TlB-h","type":1})"},
      {fetch, R"({"uid":"xXJiA4","requestId":"KJa_CT","type":5,"opts":{"rooms":[],"except":[]}})"},
      {emit_ack, R"({"uid":"xXJiA4","requestId":"_BEpA3","type":6,"data":["hello-servers","hi"]})"},
      {join, R"({"uid":"xXJiA4","type":2,"opts":{"rooms":[],"except":[]},"rooms":["room9"]})"},
      {emitter_join, R"({"type":2,"opts":{"rooms":["room1"],"except":["r2"]},"rooms":["room9"]})"},
      {emitter_leave, R"({"type":3,"opts":{"rooms":["room1"],"except":["r2"]},"rooms":["room9"]})"},
      {emitter_disconnect, R"({"type":4,"opts":{"rooms":["room1"],"except":[]},"close":true})"},
      {disconnect, R"({"uid":"xXJiA4","type":4,"opts":{"rooms":["room1"],"except":[]},"close":false})"},
      {emitter_emit, R"({"uid":"emitter","type":6,"data":["hello",1,{"a":[]}]})"},
      {sockets, R"({"uid":"xXJiA4","requestId":"abcdef","type":0,"rooms":["room1","room2"]})"},
      {legacy_join, R"({"uid":"xXJiA4","requestId":"abcdef","type":2,"sid":"zzzu-PDztUXFOOW_AAAB","room":"room1"})"},
      {legacy_disconnect,
       R"({"uid":"xXJiA4","requestId":"abcdef","type":4,"sid":"zzzu-PDztUXFOOW_AAAB","close":true})"},
  };
  for (const auto& [r, json] : rows) {
    CAPTURE(json);
    auto text = redis::encode_request(r);
    REQUIRE(text.has_value());
    CHECK(*text == json);
    auto back = redis::decode_request(json);
    REQUIRE(back.has_value());
    CHECK(*back == r);
    // The same request in msgpack decodes the same: receivers take either.
    auto tree = redis::parse_json(json);
    REQUIRE(tree.has_value());
    auto from_msgpack = redis::decode_request(sio::jsvalue::msgpack::encode(*tree));
    REQUIRE(from_msgpack.has_value());
    CHECK(*from_msgpack == r);
  }
}

TEST_CASE("adapter: a broadcast with acks is a msgpack request (type 7)") {
  redis::broadcast_flags flags;
  flags.timeout = 500;
  redis::request r;
  r.type = request_type::broadcast;
  r.uid = "xXJiA4";
  r.request_id = "zYSSfk";
  r.packet = event(R"(["q"])");
  r.opts = opts({}, {}, flags);
  // Observed: notepack.encode({uid, requestId, type: 7, packet: {type: 2, data: ["q"], nsp: "/"},
  // opts: {rooms: [], except: [], flags: {timeout: 500}}}).
  const std::string expected = spec_bytes(R"(85 a3"uid" a6"xXJiA4" a9"requestId" a6"zYSSfk" a4"type" 07
      a6"packet" 83 a4"type" 02 a4"data" 91 a1"q" a3"nsp" a1"/"
      a4"opts" 83 a5"rooms" 90 a6"except" 90 a5"flags" 81 a7"timeout" cd 01 f4)");
  auto bytes = redis::encode_request(r);
  REQUIRE(bytes.has_value());
  CHECK(hex(*bytes) == hex(expected));
  auto back = redis::decode_request(expected);
  REQUIRE(back.has_value());
  CHECK(*back == r);

  // With binary arguments.
  r.packet = event(R"(["q",{"_placeholder":true,"num":0}])", {"\x01\x02"});
  auto with_bin = redis::encode_request(r);
  REQUIRE(with_bin.has_value());
  CHECK(with_bin->find(spec_bytes(R"(92 a1"q" c4 02 01 02)")) != std::string::npos);
  auto bin_back = redis::decode_request(*with_bin);
  REQUIRE(bin_back.has_value());
  CHECK(*bin_back == r);
}

TEST_CASE("adapter: responses, the JSON observed as Node writes them") {
  redis::response rooms;
  rooms.request_id = "9TlB-h";
  rooms.rooms = std::vector<std::string>{"zzzu-PDztUXFOOW_AAAB", "room1"};

  redis::response emit_ack;
  emit_ack.type = request_type::server_side_emit;
  emit_ack.request_id = "_BEpA3";
  emit_ack.data = R"("ack-from-3011")";

  redis::response client_count;
  client_count.type = request_type::broadcast_client_count;
  client_count.request_id = "zYSSfk";
  client_count.client_count = 1;

  redis::response socket_ids;
  socket_ids.request_id = "abcdef";
  socket_ids.socket_ids = std::vector<std::string>{"a", "b"};

  redis::response fetched;
  fetched.request_id = "KJa_CT";
  fetched.sockets = std::vector<redis::fetched_socket>{
      {"zzzu-PDztUXFOOW_AAAB",
       R"({"headers":{"host":"localhost:3011"},"time":"Thu Jan 01 2025","address":"::1","xdomain":false,"secure":false,"issued":1735689600000,"url":"/socket.io/?EIO=4&transport=websocket","query":{"EIO":"4"},"auth":{}})",
       {"zzzu-PDztUXFOOW_AAAB", "room1"},
       "{}"}};

  redis::response legacy;
  legacy.request_id = "abcdef";

  const std::pair<redis::response, const char*> rows[] = {
      {rooms, R"({"requestId":"9TlB-h","rooms":["zzzu-PDztUXFOOW_AAAB","room1"]})"},
      {emit_ack, R"({"type":6,"requestId":"_BEpA3","data":"ack-from-3011"})"},
      {client_count, R"({"type":8,"requestId":"zYSSfk","clientCount":1})"},
      {socket_ids, R"({"requestId":"abcdef","sockets":["a","b"]})"},
      {fetched,
       R"({"requestId":"KJa_CT","sockets":[{"id":"zzzu-PDztUXFOOW_AAAB","handshake":{"headers":{"host":"localhost:3011"},"time":"Thu Jan 01 2025","address":"::1","xdomain":false,"secure":false,"issued":1735689600000,"url":"/socket.io/?EIO=4&transport=websocket","query":{"EIO":"4"},"auth":{}},"rooms":["zzzu-PDztUXFOOW_AAAB","room1"],"data":{}}]})"},
      {legacy, R"({"requestId":"abcdef"})"},
  };
  for (const auto& [r, json] : rows) {
    CAPTURE(json);
    auto text = redis::encode_response(r);
    REQUIRE(text.has_value());
    CHECK(*text == json);
    auto back = redis::decode_response(json);
    REQUIRE(back.has_value());
    CHECK(*back == r);
  }

  // An empty list answers either kind of request.
  auto empty = redis::decode_response(R"({"requestId":"x","sockets":[]})");
  REQUIRE(empty.has_value());
  CHECK(empty->socket_ids == std::vector<std::string>{});
  CHECK(empty->sockets == std::vector<redis::fetched_socket>{});
  // An ack with no argument (undefined) has no data.
  auto undefined_ack = redis::decode_response(R"({"type":6,"requestId":"x"})");
  REQUIRE(undefined_ack.has_value());
  CHECK_FALSE(undefined_ack->data);
}

TEST_CASE("adapter: a client's ack to a broadcast is a msgpack response (type 9)") {
  redis::response r;
  r.type = request_type::broadcast_ack;
  r.request_id = "zYSSfk";
  r.packet = redis::payload{R"({"_placeholder":true,"num":0})", {"\x01\x02"}};
  // Observed: notepack.encode({type: 9, requestId: "zYSSfk", packet: Buffer.from([1, 2])}).
  const std::string expected = spec_bytes(R"(83 a4"type" 09 a9"requestId" a6"zYSSfk" a6"packet" c4 02 01 02)");
  auto bytes = redis::encode_response(r);
  REQUIRE(bytes.has_value());
  CHECK(hex(*bytes) == hex(expected));
  auto back = redis::decode_response(expected);
  REQUIRE(back.has_value());
  CHECK(*back == r);

  r.packet = redis::payload{R"(["ok",{"n":1}])", {}};
  auto plain = redis::encode_response(r);
  REQUIRE(plain.has_value());
  CHECK(*plain == spec_bytes(R"(83 a4"type" 09 a9"requestId" a6"zYSSfk" a6"packet" 92 a2"ok" 81 a1"n" 01)"));
  auto plain_back = redis::decode_response(*plain);
  REQUIRE(plain_back.has_value());
  CHECK(*plain_back == r);
}

TEST_CASE("adapter: malformed requests and responses are errors") {
  using E = redis::redis_error;
  const std::pair<std::string, sio::error_code> requests[] = {
      {"", err(J::msgpack_truncated)},
      {"{", sio::make_error_code(sio::codec_error::invalid_json)},
      {" {\"type\":1}", err(J::msgpack_trailing_bytes)},  // only a leading '{' means JSON
      {"[1]", err(J::msgpack_trailing_bytes)},
      {R"({"uid":"u"})", err(E::invalid_message)},
      {R"({"type":10})", err(E::unknown_request_type)},
      {R"({"type":-1})", err(E::unknown_request_type)},
      {R"({"type":1.5})", err(E::unknown_request_type)},
      {R"({"type":"1"})", err(E::invalid_message)},
      {R"({"type":1,"uid":5})", err(E::invalid_message)},
      {R"({"type":1,"requestId":null})", err(E::invalid_message)},
      {R"({"type":2,"opts":[]})", err(E::invalid_message)},
      {R"({"type":2,"rooms":{}})", err(E::invalid_message)},
      {R"({"type":7,"packet":{"type":9}})", err(E::invalid_message)},
      {spec_bytes("90"), err(E::invalid_message)},
      {spec_bytes("c1"), err(J::msgpack_invalid_byte)},
  };
  for (const auto& [bytes, e] : requests) {
    CAPTURE(bytes);
    CHECK(redis::decode_request(bytes).error() == e);
  }
  const std::pair<std::string, sio::error_code> responses[] = {
      {R"({"rooms":[]})", err(E::invalid_message)},
      {R"({"requestId":1})", err(E::invalid_message)},
      {R"({"requestId":"x","type":12})", err(E::unknown_request_type)},
      {R"({"requestId":"x","sockets":["a",{"id":"b"}]})", err(E::invalid_message)},
      {R"({"requestId":"x","sockets":[{"handshake":{}}]})", err(E::invalid_message)},
      {R"({"requestId":"x","sockets":{}})", err(E::invalid_message)},
      {R"({"requestId":"x","clientCount":-1})", err(E::invalid_message)},
      {R"({"requestId":"x","clientCount":"1"})", err(E::invalid_message)},
      {"[]", err(J::msgpack_trailing_bytes)},
  };
  for (const auto& [bytes, e] : responses) {
    CAPTURE(bytes);
    CHECK(redis::decode_response(bytes).error() == e);
  }
  // Depth limits hold for JSON too.
  std::string deep = R"({"type":6,"data":)" + std::string(300, '[') + std::string(300, ']') + "}";
  CHECK(redis::decode_request(deep).error() == sio::make_error_code(sio::codec_error::json_too_deep));
  redis::message_limits shallow;
  shallow.max_depth = 2;
  CHECK(redis::decode_request(R"({"type":6,"data":["a"]})", shallow).has_value());
  CHECK(redis::decode_request(R"({"type":6,"data":[["a"]]})", shallow).error() ==
        sio::make_error_code(sio::codec_error::json_too_deep));
  // Encoding refuses raw JSON fields that are not JSON.
  redis::request bad;
  bad.type = request_type::server_side_emit;
  bad.data = "[1,";
  CHECK(redis::encode_request(bad).has_error());
  redis::response bad_fetch;
  bad_fetch.request_id = "x";
  bad_fetch.sockets = std::vector<redis::fetched_socket>{{"id", "{", {}, ""}};
  CHECK(redis::encode_response(bad_fetch).has_error());
}

TEST_CASE("adapter: lenient where Node is") {
  // A lone room string, non-string rooms dropped, close by truthiness, data kept as JSON text.
  auto r = redis::decode_request(R"({"type":2,"opts":{"rooms":["a",1],"except":null},"rooms":"r"})");
  REQUIRE(r.has_value());
  CHECK(r->opts->rooms == std::vector<std::string>{"a"});
  CHECK(r->opts->except.empty());
  CHECK(r->rooms == std::vector<std::string>{"r"});
  auto d = redis::decode_request(R"({"type":4,"opts":{},"close":1})");
  REQUIRE(d.has_value());
  CHECK(d->close == true);
  auto e = redis::decode_request(R"({"type":6,"data":["x",1.0,1e2,"\u00e9"]})");
  REQUIRE(e.has_value());
  CHECK(e->data == R"(["x",1,100,"é"])");
  // Invalid UTF-8 in a JSON request is replaced, as msg.toString() does.
  auto u = redis::decode_request("{\"type\":6,\"data\":[\"\xff\"]}");
  REQUIRE(u.has_value());
  CHECK(u->data == "[\"\xef\xbf\xbd\"]");
}

TEST_CASE("adapter: from the Redis connection to a broadcast") {
  // What a PSUBSCRIBEd connection receives when another server calls io.to("room1").emit("bin", ...).
  const std::string payload = spec_bytes(R"(93 a6"xXJiA4" 83 a4"type" 02 a4"data" 92 a3"bin" c4 03 01 02 03
      a3"nsp" a1"/" 83 a5"rooms" 91 a5"room1" a6"except" 90 a5"flags" 80)");
  const redis::channels ch;
  const std::string wire = "*4\r\n$8\r\npmessage\r\n$13\r\nsocket.io#/#*\r\n$18\r\nsocket.io#/#room1#\r\n$" +
                           std::to_string(payload.size()) + "\r\n" + payload + "\r\n";
  for (const auto& parts : sio::test::splits_of(wire)) {
    redis::reply_parser parser;
    std::optional<redis::reply> got;
    for (auto part : parts) {
      parser.feed(part);
      auto r = parser.next();
      REQUIRE(r.has_value());
      if (*r) got = std::move(**r);
    }
    REQUIRE(got);
    auto push = redis::to_pubsub_message(std::move(*got));
    REQUIRE(push);
    CHECK(push->pattern == ch.broadcast_pattern("/"));
    CHECK(ch.match(push->channel, "/") == redis::channel_match{redis::channel_kind::broadcast, "room1"});
    auto m = redis::decode_broadcast(push->payload);
    REQUIRE(m.has_value());
    CHECK(m->uid == "xXJiA4");
    CHECK(m->packet.type == sock::packet_type::binary_event);
    CHECK(m->packet.data == R"(["bin",{"_placeholder":true,"num":0}])");
    CHECK(m->packet.attachments == std::vector<std::string>{"\x01\x02\x03"});
    CHECK(m->opts.rooms == std::vector<std::string>{"room1"});
  }
  // And the way back: the command that publishes it.
  auto bytes = redis::encode_broadcast(
      {"xXJiA4", event(R"(["bin",{"_placeholder":true,"num":0}])", {"\x01\x02\x03"}), opts({"room1"})});
  REQUIRE(bytes.has_value());
  const std::vector<std::string> rooms = {"room1"};
  CHECK(redis::encode_command({"PUBLISH", ch.broadcast_for("/", rooms), *bytes}) ==
        "*3\r\n$7\r\nPUBLISH\r\n$18\r\nsocket.io#/#room1#\r\n$" + std::to_string(payload.size()) + "\r\n" + payload +
            "\r\n");
}

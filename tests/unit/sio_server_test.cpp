// The Socket.IO server and the echo/broadcast apps, driven through fake connections: exact
// wire strings, no sockets.
#include <doctest/doctest.h>

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "core/server/apps.hpp"
#include "core/server/sio_server.hpp"
#include "tests/support/fake_connection.hpp"

using namespace std::string_literals;
using sio::test::fake_connection;
using strings = std::vector<std::string>;

namespace {

struct harness {
  explicit harness(sio::server::app& app, sio::server::sio_options options = {}) : server(options, app) {}

  fake_connection& open(const std::string& sid = "c") {
    auto c = std::make_unique<fake_connection>(sid);
    c->on_close = [this, raw = c.get()](std::string_view reason) { server.on_close(*raw, reason); };
    server.on_open(*c);
    conns.push_back(std::move(c));
    return *conns.back();
  }
  // A text Engine.IO message, without the leading '4'.
  void text(fake_connection& c, std::string_view msg) { server.on_message(c, msg, false); }
  void binary(fake_connection& c, std::string_view bytes) { server.on_message(c, bytes, true); }

  // Connects to `nsp` and returns the socket id from the reply.
  std::string join(fake_connection& c, const std::string& nsp = "/", const std::string& auth = "") {
    const std::string prefix = nsp == "/" ? "" : nsp + ",";
    text(c, "0" + prefix + auth);
    auto sent = c.take();
    REQUIRE(sent.size() >= 1);
    std::smatch m;
    const std::regex reply("^40" + std::regex_replace(prefix, std::regex(R"([/.])"), R"(\$&)") +
                           R"re(\{"sid":"([A-Za-z0-9_-]{20})"\}$)re");
    REQUIRE(std::regex_match(sent[0], m, reply));
    return m[1];
  }

  sio::server::sio_server server;
  std::vector<std::unique_ptr<fake_connection>> conns;
};

}  // namespace

TEST_CASE("sio server: CONNECT, auth and the echo app's wire strings") {
  sio::server::echo_app app;
  harness h(app);
  auto& c = h.open();
  CHECK(c.timer_after == std::chrono::milliseconds(45000));  // the connect timeout is armed
  h.text(c, R"(0{"token":"abc","n":[1, 2.50]})");
  auto sent = c.take();
  REQUIRE(sent.size() == 2);
  CHECK(std::regex_match(sent[0], std::regex(R"(^40\{"sid":"[A-Za-z0-9_-]{20}"\}$)")));  // no pid
  CHECK(sent[1] == R"(42["auth",{"token":"abc","n":[1, 2.50]}])");                       // the auth bytes as sent
  CHECK_FALSE(c.timer);                                                                  // and disarmed

  h.text(c, R"(2["message",1,"2",{"3":[true]}])");
  CHECK(c.take() == strings{R"(42["message-back",1,"2",{"3":[true]}])"});
  h.text(c, R"(212["foo", {"b":1, "a":1.50}])");
  CHECK(c.take() == strings{R"(4312[{"b":1, "a":1.50}])"});
  h.text(c, R"(2["other","x"])");
  CHECK(c.take() == strings{R"(42["other","x"])"});
  h.text(c, R"(2[42,"numeric name"])");
  CHECK(c.take() == strings{R"(42[42,"numeric name"])"});
  h.text(c, R"(27["message","m"])");
  CHECK(c.take() == strings{R"(42["message-back","m"])", R"(437["m"])"});
  h.text(c, "2");  // an EVENT without payload: nothing to do, nothing sent, still open
  CHECK(c.take().empty());
  CHECK_FALSE(c.closed);
}

TEST_CASE("sio server: binary events and acks come back with their attachments") {
  sio::server::echo_app app;
  harness h(app);
  auto& c = h.open();
  h.join(c);
  h.text(c, R"(51-["bin",{"_placeholder":true,"num":0}])");
  CHECK(c.take().empty());  // waiting for the attachment
  h.binary(c, "\x01\x02\x03"s);
  CHECK(c.take() == strings{R"(451-["bin",{"_placeholder":true,"num":0}])", "<bin:\x01\x02\x03>"});
  h.text(c, R"(52-9["pics",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}])");
  h.binary(c, "a");
  h.binary(c, "b");
  CHECK(c.take() ==
        strings{R"(462-9[{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}])", "<bin:a>", "<bin:b>"});
}

TEST_CASE("sio server: namespaces") {
  sio::server::echo_app app;
  sio::server::sio_options options;
  options.namespaces = {"/", "/custom"};
  harness h(app, options);
  auto& c = h.open();

  SUBCASE("refused namespace: CONNECT_ERROR, the connection stays") {
    h.text(c, "0/random,");
    CHECK(c.take() == strings{R"(44/random,{"message":"Invalid namespace"})"});
    CHECK_FALSE(c.closed);
    h.join(c);
  }
  SUBCASE("with and without the trailing comma") {
    h.text(c, "0/custom");
    auto sent = c.take();
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].starts_with("40/custom,{\"sid\":"));
    CHECK(sent[1] == R"(42/custom,["auth",{}])");
  }
  SUBCASE("several namespaces on one connection, each with its own sid; leaving one keeps the rest") {
    const auto main_sid = h.join(c);
    const auto custom_sid = h.join(c, "/custom", R"({"k":1})");
    CHECK(main_sid != custom_sid);
    h.text(c, "1/custom,");
    CHECK(c.take().empty());
    CHECK_FALSE(c.closed);
    h.text(c, R"(2["still"])");
    CHECK(c.take() == strings{R"(42["still"])"});
    h.text(c, R"(2/custom,["gone"])");  // an event for a namespace left: the reference closes
    CHECK(c.closed);
  }
  SUBCASE("a second CONNECT to the same namespace closes") {
    h.join(c);
    h.text(c, "0");
    CHECK(c.closed);
  }
  SUBCASE("an event before any CONNECT closes") {
    h.text(c, R"(2["x"])");
    CHECK(c.closed);
  }
  SUBCASE("decode errors close with a reason") {
    h.join(c);
    h.text(c, R"(2["connect"])");
    CHECK(c.closed);
    CHECK(c.close_reason == "parse error");
  }
}

TEST_CASE("sio server: the connect timeout closes only connections without a namespace") {
  sio::server::echo_app app;
  harness h(app);
  auto& idle = h.open("idle");
  auto& busy = h.open("busy");
  h.join(busy);
  idle.fire_timer();
  busy.fire_timer();  // cancelled by the CONNECT: nothing happens
  CHECK(idle.closed);
  CHECK(idle.close_reason == "connect timeout");
  CHECK_FALSE(busy.closed);
}

TEST_CASE("sio server: rooms through the control events") {
  sio::server::echo_app app;
  harness h(app);
  auto& a = h.open("a");
  auto& b = h.open("b");
  auto& c = h.open("c");
  const auto a_sid = h.join(a);
  h.join(b);
  h.join(c);
  a.take(), b.take(), c.take();

  h.text(a, R"(21["join","r2","r1"])");
  CHECK(a.take() == strings{R"(431[["r1","r2"]])"});
  h.text(b, R"(22["join","r1"])");
  b.take();
  h.text(a, R"(2["join"])");  // no ack asked: nothing comes back
  CHECK(a.take().empty());
  h.text(a, R"(23["join"])");  // no rooms: just the list
  CHECK(a.take() == strings{R"(433[["r1","r2"]])"});

  h.text(c, R"(24["to","r1","hello",42])");
  CHECK(c.take() == strings{R"(434[2])"});
  CHECK(a.take() == strings{R"(42["hello",42])"});
  CHECK(b.take() == strings{R"(42["hello",42])"});

  h.text(a, R"(25["to","r1","hello",1])");  // the sender is excluded, even inside the room
  CHECK(a.take() == strings{R"(435[1])"});
  CHECK(b.take() == strings{R"(42["hello",1])"});

  h.text(b, R"(26["broadcast","news","x"])");
  CHECK(b.take() == strings{R"(436[2])"});
  CHECK(a.take() == strings{R"(42["news","x"])"});
  CHECK(c.take() == strings{R"(42["news","x"])"});

  h.text(a, R"(27["leave","r1"])");
  CHECK(a.take() == strings{R"(437[["r2"]])"});
  h.text(c, R"(28["to","r1","after"])");
  CHECK(c.take() == strings{R"(438[1])"});
  CHECK(a.take().empty());

  h.text(a, R"(29["join",5])");  // arguments that do not fit: an ordinary event, acked
  CHECK(a.take() == strings{R"(439[5])"});

  // A socket that goes away leaves its rooms.
  b.close("transport close");
  h.text(c, R"(210["to","r1","x"])");
  CHECK(c.take() == strings{R"(4310[0])"});
  (void)a_sid;
}

TEST_CASE("sio server: broadcast mode reaches every socket of the namespace, sender included") {
  sio::server::broadcast_app app;
  harness h(app);
  auto& a = h.open("a");
  auto& b = h.open("b");
  auto& other = h.open("other");
  h.join(a);
  h.join(b);
  h.join(other, "/elsewhere");
  h.text(a, R"(23["chat","hi"])");
  CHECK(a.take() == strings{R"(42["chat","hi"])", R"(433["hi"])"});
  CHECK(b.take() == strings{R"(42["chat","hi"])"});
  CHECK(other.take().empty());
}

TEST_CASE("sio server: a broadcast with acks sends one id to all and hands back each ACK once") {
  sio::server::echo_app app;
  harness h(app);
  auto& a = h.open("a");
  auto& b = h.open("b");
  auto& other = h.open("o");
  h.join(a);
  h.join(b);
  h.join(other, "/admin");
  auto* nsp = h.server.find_namespace("/");
  REQUIRE(nsp);

  sio::socketio::packet p;
  p.data = R"(["q",1])";
  strings answers;
  auto on_ack = [&](const sio::socketio::packet& ack) { answers.push_back(ack.data); };
  CHECK(nsp->broadcast_with_ack(p, {}, {}, on_ack) == 2);
  CHECK(a.take() == strings{R"(420["q",1])"});
  CHECK(b.take() == strings{R"(420["q",1])"});
  CHECK(other.take().empty());
  CHECK(nsp->broadcast_with_ack(p, {}, {}, on_ack) == 2);  // the next one gets the next id
  CHECK(a.take() == strings{R"(421["q",1])"});
  b.take();

  h.text(a, R"(30["from a"])");
  h.text(a, R"(30["again"])");  // answered already: ignored
  h.text(b, R"(31[{"b":2}])");
  h.text(b, R"(37["never asked"])");
  CHECK(answers == strings{R"(["from a"])", R"([{"b":2}])"});
  CHECK(a.take().empty());  // nothing is sent back for an ACK
  CHECK_FALSE(a.closed);
}

namespace {

// One client joined to "/", and a packet to broadcast with acks.
struct one_client {
  sio::server::echo_app app;
  harness h{app};
  fake_connection& c = h.open();
  std::string sid = h.join(c);
  sio::server::server_namespace& nsp = *h.server.find_namespace("/");
  sio::server::socket& s = *nsp.find(sid);
  sio::socketio::packet p = question();

  static sio::socketio::packet question() {
    sio::socketio::packet q;
    q.data = R"(["q"])";
    return q;
  }
};

}  // namespace

TEST_CASE("sio server: a client that never answers keeps at most max_pending_acks waiting") {
  one_client f;
  auto [h, c, nsp, s, p] = std::tie(f.h, f.c, f.nsp, f.s, f.p);
  int answered = 0;
  const auto limit = sio::server::socket::max_pending_acks;
  for (std::size_t i = 0; i < limit + 10; ++i) nsp.broadcast_with_ack(p, {}, {}, [&](auto&) { ++answered; });
  CHECK(s.pending_acks() == limit);
  h.text(c, "30[]");  // the oldest ids were forgotten
  CHECK(answered == 0);
  h.text(c, "3" + std::to_string(limit + 9) + "[]");
  CHECK(answered == 1);
  CHECK(s.pending_acks() == limit - 1);
}

TEST_CASE("sio server: an ack that comes after the asker gave up is dropped, and so is its entry") {
  one_client f;
  auto [h, c, nsp, s, p] = std::tie(f.h, f.c, f.nsp, f.s, f.p);
  int answered = 0;
  auto count = [&](auto&) { ++answered; };
  nsp.broadcast_with_ack(p, {}, {}, count, std::chrono::milliseconds(0));  // id 0: expired at once
  nsp.broadcast_with_ack(p, {}, {}, count, std::chrono::hours(1));         // id 1
  h.text(c, "30[]");
  CHECK(answered == 0);
  CHECK(s.pending_acks() == 1);
  nsp.broadcast_with_ack(p, {}, {}, count, std::chrono::milliseconds(0));  // id 2
  nsp.broadcast_with_ack(p, {}, {}, count);                                // id 3, no deadline
  CHECK(s.pending_acks() == 3);  // pruning stops at the live id 1: the expired 2 waits, unanswerable
  h.text(c, "31[]");
  CHECK(answered == 1);
  h.text(c, "32[]");
  CHECK(answered == 1);
  h.text(c, "33[]");
  CHECK(answered == 2);
  CHECK(s.pending_acks() == 0);
}

TEST_CASE("sio server: a socket is in at most max_rooms rooms") {
  sio::server::echo_app app;
  harness h(app);
  auto& c = h.open();
  h.join(c);
  std::string rooms = R"(2["join")";
  for (std::size_t i = 0; i < sio::server::socket::max_rooms + 50; ++i) rooms += ",\"r" + std::to_string(i) + "\"";
  h.text(c, rooms + "]");
  auto& s = *h.server.find_namespace("/")->select({}, {}).front();
  CHECK(s.rooms().size() == sio::server::socket::max_rooms);
  CHECK(s.rooms().count(s.id()) == 1);
  CHECK_FALSE(s.join("one more"));
  CHECK(s.join("r0"));  // already in: fine
  h.text(c, R"(2["leave","r0"])");
  CHECK(s.join("one more"));
}

TEST_CASE("sio server: namespaces made on demand close with their last socket; '/' and declared ones stay") {
  sio::server::echo_app app;
  harness h(app);
  auto& a = h.open("a");
  auto& b = h.open("b");
  h.join(a, "/tmp");
  h.join(b, "/tmp");
  h.join(a);
  REQUIRE(h.server.find_namespace("/tmp"));
  h.text(a, "1/tmp,");
  CHECK(h.server.find_namespace("/tmp"));  // b is still there
  b.close("transport close");
  CHECK_FALSE(h.server.find_namespace("/tmp"));
  h.text(a, "1");
  CHECK(h.server.find_namespace("/"));
  auto& again = h.open("again");
  h.join(again, "/tmp");  // and it can be made again
  CHECK(h.server.find_namespace("/tmp"));

  sio::server::sio_options declared;
  declared.namespaces = {"/", "/kept"};
  harness d(app, declared);
  auto& c = d.open();
  d.join(c, "/kept");
  d.text(c, "1/kept,");
  CHECK(d.server.find_namespace("/kept"));
}

TEST_CASE("sio server: one connection joins at most max_namespaces_per_client namespaces") {
  sio::server::echo_app app;
  sio::server::sio_options options;
  options.max_namespaces_per_client = 3;
  harness h(app, options);
  auto& c = h.open();
  for (const char* nsp : {"/", "/a", "/b"}) h.join(c, nsp);
  h.text(c, "0/c,");
  CHECK(c.take() == strings{R"(44/c,{"message":"Too many namespaces"})"});
  CHECK_FALSE(c.closed);
  CHECK_FALSE(h.server.find_namespace("/c"));
  h.text(c, "1/a,");
  h.join(c, "/c");  // room again after leaving one
}

TEST_CASE("sio server: close-room tells the other members, empties the room and acks how many left") {
  sio::server::echo_app app;
  harness h(app);
  auto& a = h.open("a");
  auto& b = h.open("b");
  auto& c = h.open("c");
  h.join(a);
  h.join(b);
  h.join(c);
  h.text(a, R"(2["join","r1","r2"])");
  h.text(b, R"(2["join","r1"])");
  a.take(), b.take(), c.take();

  h.text(c, R"(21["close-room","r1"])");  // c is not in r1: it may still close it
  CHECK(c.take() == strings{R"(431[2])"});
  CHECK(a.take() == strings{R"(42["room-closed","r1"])"});
  CHECK(b.take() == strings{R"(42["room-closed","r1"])"});
  h.text(a, R"(22["join"])");
  CHECK(a.take() == strings{R"(432[["r2"]])"});
  h.text(c, R"(23["to","r1","after"])");
  CHECK(c.take() == strings{R"(433[0])"});
  CHECK(a.take().empty());
  CHECK(b.take().empty());

  h.text(a, R"(24["close-room","r2"])");  // the sender is a member: it leaves too, told by the ack only
  CHECK(a.take() == strings{R"(434[1])"});
  h.text(a, R"(25["close-room","nobody"])");
  CHECK(a.take() == strings{R"(435[0])"});
  h.text(a, R"(26["close-room",7])");  // arguments that do not fit: an ordinary event, acked
  CHECK(a.take() == strings{R"(436[7])"});
}

TEST_CASE("sio server: ping with an ack is a round trip in either mode, never relayed") {
  sio::server::echo_app echo;
  sio::server::broadcast_app broadcast;
  for (sio::server::app* app : {static_cast<sio::server::app*>(&echo), static_cast<sio::server::app*>(&broadcast)}) {
    harness h(*app);
    auto& a = h.open("a");
    auto& b = h.open("b");
    h.join(a);
    h.join(b);
    a.take(), b.take();
    h.text(a, R"(29["ping",1733234567890])");
    CHECK(a.take() == strings{R"(439[1733234567890])"});
    CHECK(b.take().empty());
  }
}

TEST_CASE("sio server: room names are at most max_room_bytes; a longer one closes the connection") {
  sio::server::echo_app app;
  harness h(app);
  auto& c = h.open();
  h.join(c);
  const std::string at_limit(sio::server::socket::max_room_bytes, 'r');
  h.text(c, R"(21["join",")" + at_limit + R"("])");
  CHECK(c.take() == strings{R"(431[[")" + at_limit + R"("]])"});
  h.text(c, R"(2["join","ok",")" + at_limit + R"(r"])");  // one too long: nothing of it is joined
  CHECK(c.closed);
  CHECK(c.close_reason == "room name too long");
}

TEST_CASE("sio server: a join or leave without an ack id sends nothing") {
  sio::server::echo_app app;
  harness h(app);
  auto& c = h.open();
  h.join(c);
  h.text(c, R"(2["join","a","b"])");
  h.text(c, R"(2["join"])");
  h.text(c, R"(2["leave","a"])");
  CHECK(c.take().empty());
  h.text(c, R"(25["join"])");
  CHECK(c.take() == strings{R"(435[["b"]])"});
}

TEST_CASE("sio server: a namespace over max_namespace_bytes or not UTF-8 closes the connection at CONNECT") {
  sio::server::echo_app app;
  harness h(app);
  const std::string at_limit = "/" + std::string(255, 'n');
  auto& ok = h.open("ok");
  h.join(ok, at_limit);
  CHECK_FALSE(ok.closed);
  for (const std::string& nsp : {at_limit + "n", "/caf\xc3"s, "/\xed\xa0\x80"s}) {
    CAPTURE(nsp.size());
    auto& c = h.open("bad");
    h.text(c, "0" + nsp + ",");
    CHECK(c.take().empty());
    CHECK(c.closed);
    CHECK(c.close_reason == "invalid namespace name");
  }
  CHECK(h.server.find_namespace(at_limit + "n") == nullptr);
}

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/redis/resp.hpp"
#include "tests/support/splits.hpp"

using namespace std::string_literals;
namespace redis = sio::redis;
using redis::reply;

namespace {

// Feeds `parts` one by one and collects every reply; fails the test on an error.
std::vector<reply> parse_all(redis::reply_parser& p, const std::vector<std::string_view>& parts) {
  std::vector<reply> out;
  for (auto part : parts) {
    p.feed(part);
    for (;;) {
      auto r = p.next();
      REQUIRE(r.has_value());
      if (!*r) break;
      out.push_back(std::move(**r));
    }
  }
  return out;
}

sio::error_code first_error(const std::string& wire, redis::resp_limits limits = {}) {
  redis::reply_parser p(limits);
  p.feed(wire);
  for (;;) {
    auto r = p.next();
    if (!r) return r.error();
    if (!*r) return {};
  }
}

}  // namespace

TEST_CASE("resp: commands are arrays of bulk strings, binary-safe") {
  CHECK(redis::encode_command({"PING"}) == "*1\r\n$4\r\nPING\r\n");
  CHECK(redis::encode_command({"PUBLISH", "socket.io#/#", "\x93\r\n\0x"s}) ==
        "*3\r\n$7\r\nPUBLISH\r\n$12\r\nsocket.io#/#\r\n$5\r\n\x93\r\n\0x\r\n"s);
  CHECK(redis::encode_command({"PSUBSCRIBE", "socket.io#/#*"}) ==
        "*2\r\n$10\r\nPSUBSCRIBE\r\n$13\r\nsocket.io#/#*\r\n");
  CHECK(redis::encode_command({"SET", "k", ""}) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
  CHECK(redis::encode_command(std::initializer_list<std::string_view>{}) == "*0\r\n");
  const std::vector<std::string_view> args = {"PUBSUB", "NUMSUB", "socket.io-request#/#"};
  std::string out = "prefix";
  redis::encode_command_append(args, out);
  CHECK(out == "prefix*3\r\n$6\r\nPUBSUB\r\n$6\r\nNUMSUB\r\n$20\r\nsocket.io-request#/#\r\n");
}

TEST_CASE("resp: every reply type, whole, byte by byte and in random splits") {
  const struct {
    std::string wire;
    reply expected;
  } rows[] = {
      {"+OK\r\n", reply::simple("OK")},
      {"+\r\n", reply::simple("")},
      {"-ERR unknown command 'FOO'\r\n", reply::error_reply("ERR unknown command 'FOO'")},
      {":0\r\n", reply::number(0)},
      {":-42\r\n", reply::number(-42)},
      {":9223372036854775807\r\n", reply::number(INT64_MAX)},
      {":-9223372036854775808\r\n", reply::number(INT64_MIN)},
      {"$0\r\n\r\n", reply::bulk("")},
      {"$-1\r\n", reply::nil()},
      {"$6\r\na\r\nb\0c\r\n"s, reply::bulk("a\r\nb\0c"s)},
      {"$3\r\n\x93\xa6\xff\r\n", reply::bulk("\x93\xa6\xff")},
      {"*-1\r\n", reply::nil()},
      {"*0\r\n", reply::array({})},
      {"*2\r\n$3\r\nfoo\r\n:1\r\n", reply::array({reply::bulk("foo"), reply::number(1)})},
      {"*3\r\n$1\r\na\r\n$-1\r\n*-1\r\n", reply::array({reply::bulk("a"), reply::nil(), reply::nil()})},
      {"*2\r\n*1\r\n+a\r\n*0\r\n", reply::array({reply::array({reply::simple("a")}), reply::array({})})},
      {"*1\r\n*1\r\n*1\r\n:7\r\n", reply::array({reply::array({reply::array({reply::number(7)})})})},
      {"*3\r\n*0\r\n*2\r\n:1\r\n*1\r\n-E\r\n+x\r\n",
       reply::array({reply::array({}), reply::array({reply::number(1), reply::array({reply::error_reply("E")})}),
                     reply::simple("x")})},
      // PUBSUB NUMSUB socket.io-request#/#
      {"*2\r\n$20\r\nsocket.io-request#/#\r\n:3\r\n",
       reply::array({reply::bulk("socket.io-request#/#"), reply::number(3)})},
  };
  std::string all;
  std::vector<reply> all_expected;
  for (const auto& row : rows) {
    CAPTURE(row.wire);
    all += row.wire;
    all_expected.push_back(row.expected);
    for (const auto& parts : sio::test::splits_of(row.wire)) {
      redis::reply_parser p;
      auto got = parse_all(p, parts);
      REQUIRE(got.size() == 1);
      CHECK(got[0] == row.expected);
      CHECK_FALSE(p.pending());
    }
  }
  // All of them back to back, as one connection delivers them.
  for (const auto& parts : sio::test::splits_of(all)) {
    redis::reply_parser p;
    CHECK(parse_all(p, parts) == all_expected);
    CHECK_FALSE(p.pending());
  }
}

TEST_CASE("resp: an incomplete reply waits for more bytes") {
  for (std::string partial : {"+OK", "+OK\r", "$5\r\nhel", "$5\r\nhello", "$5\r\nhello\r", "*2\r\n:1\r\n", "*2\r\n",
                              "*1\r\n*1\r\n", ":12", "$", "*", "$-"}) {
    CAPTURE(partial);
    redis::reply_parser p;
    p.feed(partial);
    auto r = p.next();
    REQUIRE(r.has_value());
    CHECK_FALSE(r->has_value());
    CHECK(p.pending());
  }
}

TEST_CASE("resp: malformed replies are errors, and the error sticks") {
  using E = redis::redis_error;
  const std::pair<std::string, E> rows[] = {
      {"?x\r\n", E::resp_unknown_type},
      {"%1\r\n", E::resp_unknown_type},  // RESP3 map: not spoken here
      {">3\r\n", E::resp_unknown_type},
      {"\r\n", E::resp_unknown_type},
      {"+OK\rX", E::resp_bad_line},
      {":abc\r\n", E::resp_bad_integer},
      {":\r\n", E::resp_bad_integer},
      {":+1\r\n", E::resp_bad_integer},
      {": 1\r\n", E::resp_bad_integer},
      {":1.5\r\n", E::resp_bad_integer},
      {":9223372036854775808\r\n", E::resp_bad_integer},
      {"$x\r\n", E::resp_bad_integer},
      {"$-2\r\n", E::resp_bad_length},
      {"*-2\r\n", E::resp_bad_length},
      {"$3\r\nabcX\r\n", E::resp_bad_bulk_end},
      {"$3\r\nabc\rX", E::resp_bad_bulk_end},
      {"$1111111111111111111111111111111111111111", E::resp_bad_length},  // no CRLF in sight
      {"*1\r\n!\r\n", E::resp_unknown_type},
  };
  for (const auto& [wire, err] : rows) {
    CAPTURE(wire);
    redis::reply_parser p;
    p.feed(wire);
    auto r = p.next();
    REQUIRE(r.has_error());
    CHECK(r.error() == redis::make_error_code(err));
    p.feed("+OK\r\n");
    CHECK(p.next().error() == redis::make_error_code(err));
    p.reset();
    p.feed("+OK\r\n");
    auto again = p.next();
    REQUIRE(again.has_value());
    CHECK(**again == reply::simple("OK"));
  }
  CHECK(redis::make_error_code(redis::redis_error::resp_too_deep).message() == "RESP: arrays nested too deeply");
}

TEST_CASE("resp: limits, just under and just over") {
  using E = redis::redis_error;
  redis::resp_limits limits;
  limits.max_bulk_length = 10;
  limits.max_array_length = 4;
  limits.max_depth = 3;
  limits.max_line_length = 8;

  CHECK_FALSE(first_error("$10\r\n0123456789\r\n", limits));
  CHECK(first_error("$11\r\n", limits) == redis::make_error_code(E::resp_bulk_too_large));
  CHECK_FALSE(first_error("*4\r\n:1\r\n:2\r\n:3\r\n:4\r\n", limits));
  CHECK(first_error("*5\r\n", limits) == redis::make_error_code(E::resp_array_too_large));
  CHECK_FALSE(first_error("*1\r\n*1\r\n*1\r\n:1\r\n", limits));
  CHECK_FALSE(first_error("*1\r\n*1\r\n*-1\r\n", limits));  // a null array is no nesting
  CHECK(first_error("*1\r\n*1\r\n*1\r\n*0\r\n", limits) == redis::make_error_code(E::resp_too_deep));
  CHECK(first_error("*1\r\n*1\r\n*1\r\n*1\r\n", limits) == redis::make_error_code(E::resp_too_deep));
  CHECK_FALSE(first_error("+12345678\r\n", limits));
  CHECK_FALSE(first_error("-12345678\r\n", limits));
  CHECK(first_error("+123456789\r\n", limits) == redis::make_error_code(E::resp_line_too_long));
  // Detected before the CRLF comes: a server that never ends a line cannot make us buffer forever.
  CHECK(first_error("+123456789", limits) == redis::make_error_code(E::resp_line_too_long));
  CHECK_FALSE(first_error("+12345678", limits));  // may still end in time

  // A claimed size is not trusted: nothing is allocated for elements that have not come.
  redis::resp_limits big;
  big.max_array_length = SIZE_MAX;
  big.max_bulk_length = SIZE_MAX / 2;
  redis::reply_parser p(big);
  p.feed("*9223372036854775807\r\n");
  auto r = p.next();
  REQUIRE(r.has_value());
  CHECK_FALSE(r->has_value());
  redis::reply_parser q(big);
  q.feed("$4611686018427387903\r\nabc");
  auto s = q.next();
  REQUIRE(s.has_value());
  CHECK_FALSE(s->has_value());
  CHECK(first_error("*9223372036854775807\r\n") == redis::make_error_code(E::resp_array_too_large));
  CHECK(first_error("$9223372036854775807\r\n") == redis::make_error_code(E::resp_bulk_too_large));
}

TEST_CASE("resp: a large bulk string arriving in small chunks") {
  const std::string payload(100'000, 'x');
  const std::string wire = "$100000\r\n" + payload + "\r\n+OK\r\n";
  redis::reply_parser p;
  std::vector<reply> got;
  for (std::size_t i = 0; i < wire.size(); i += 1000) {
    p.feed(std::string_view(wire).substr(i, 1000));
    while (true) {
      auto r = p.next();
      REQUIRE(r.has_value());
      if (!*r) break;
      got.push_back(std::move(**r));
    }
  }
  REQUIRE(got.size() == 2);
  CHECK(got[0] == reply::bulk(payload));
  CHECK(got[1] == reply::simple("OK"));
  CHECK_FALSE(p.pending());
}

TEST_CASE("resp: pub/sub pushes") {
  const std::string msgpack = "\x93\xa6xXJiA4"s;
  const std::string stream =
      "*3\r\n$10\r\npsubscribe\r\n$13\r\nsocket.io#/#*\r\n:1\r\n"
      "*3\r\n$9\r\nsubscribe\r\n$20\r\nsocket.io-request#/#\r\n:2\r\n"
      "*4\r\n$8\r\npmessage\r\n$13\r\nsocket.io#/#*\r\n$18\r\nsocket.io#/#room1#\r\n$8\r\n" +
      msgpack +
      "\r\n"
      "*3\r\n$7\r\nmessage\r\n$20\r\nsocket.io-request#/#\r\n$2\r\n{}\r\n"
      "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n";
  for (const auto& parts : sio::test::splits_of(stream)) {
    redis::reply_parser p;
    auto got = parse_all(p, parts);
    REQUIRE(got.size() == 5);

    CHECK(redis::to_subscription_ack(got[0]) == redis::subscription_ack{"psubscribe", "socket.io#/#*", 1});
    CHECK_FALSE(redis::to_pubsub_message(got[0]));
    CHECK(redis::to_subscription_ack(got[1]) == redis::subscription_ack{"subscribe", "socket.io-request#/#", 2});

    CHECK_FALSE(redis::to_subscription_ack(got[2]));
    auto pm = redis::to_pubsub_message(std::move(got[2]));
    REQUIRE(pm);
    CHECK(pm->from_pattern);
    CHECK(pm->pattern == "socket.io#/#*");
    CHECK(pm->channel == "socket.io#/#room1#");
    CHECK(pm->payload == msgpack);

    auto m = redis::to_pubsub_message(got[3]);
    REQUIRE(m);
    CHECK(*m == redis::pubsub_message{"", "socket.io-request#/#", "{}", false});

    CHECK(redis::to_subscription_ack(got[4]) == redis::subscription_ack{"unsubscribe", std::nullopt, 0});
  }
}

TEST_CASE("resp: sharded pub/sub pushes (SSUBSCRIBE) are told apart") {
  redis::reply_parser p;
  auto got = parse_all(p, {"*3\r\n$10\r\nssubscribe\r\n$12\r\nsocket.io#/#\r\n:1\r\n"
                           "*3\r\n$8\r\nsmessage\r\n$12\r\nsocket.io#/#\r\n$2\r\n{}\r\n"});
  REQUIRE(got.size() == 2);
  CHECK(redis::to_subscription_ack(got[0]) == redis::subscription_ack{"ssubscribe", "socket.io#/#", 1});
  auto m = redis::to_pubsub_message(got[1]);
  REQUIRE(m);
  CHECK(m->from_shard);
  CHECK_FALSE(m->from_pattern);
  CHECK(m->channel == "socket.io#/#");
  CHECK(m->payload == "{}");
}

TEST_CASE("resp: pub/sub helpers refuse other shapes") {
  const reply not_pushes[] = {
      reply::simple("message"),
      reply::nil(),
      reply::array({}),
      reply::array({reply::bulk("message"), reply::bulk("ch")}),
      reply::array({reply::bulk("message"), reply::bulk("ch"), reply::bulk("x"), reply::bulk("y")}),
      reply::array({reply::bulk("message"), reply::bulk("ch"), reply::number(1)}),
      reply::array({reply::bulk("pmessage"), reply::bulk("p"), reply::bulk("ch")}),
      reply::array({reply::bulk("Message"), reply::bulk("ch"), reply::bulk("x")}),
      reply::array({reply::bulk("message"), reply::nil(), reply::bulk("x")}),
  };
  for (const auto& r : not_pushes) CHECK_FALSE(redis::to_pubsub_message(r));
  CHECK_FALSE(redis::to_subscription_ack(reply::array({reply::bulk("subscribe"), reply::bulk("c"), reply::bulk("1")})));
  CHECK_FALSE(redis::to_subscription_ack(reply::array({reply::bulk("pong"), reply::bulk(""), reply::number(1)})));
  CHECK(redis::to_subscription_ack(reply::array({reply::bulk("ssubscribe"), reply::bulk("c"), reply::number(1)})));
}

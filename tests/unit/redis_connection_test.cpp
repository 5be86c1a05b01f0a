// redis::connection against a scripted Redis on 127.0.0.1: replies in order, AUTH/SELECT from
// the URL, refused credentials, re-subscription after a drop, pub/sub pushes, failing fast while
// down, and stop(). Wire bytes are spelled out where they are the point.
#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/common/backoff.hpp"
#include "core/redis/connection.hpp"
#include "tests/support/fake_redis.hpp"

using namespace sio;
using namespace sio::redis;
using sio::test::fake_redis;
using sio::test::run_until;
using namespace std::string_literals;

namespace {

// What the connection reports, in order; commands' outcomes can be logged here too.
class recorder final : public connection_listener {
 public:
  void on_redis_up() override { log.push_back("up"); }
  void on_redis_down(std::string_view why) override { log.push_back("down: " + std::string(why)); }
  void on_redis_refused(std::string_view why) override { log.push_back("refused: " + std::string(why)); }
  void on_redis_message(pubsub_message& m) override { messages.push_back(m); }

  // A reply handler that logs "<name>: <reply>" or "<name>: error <message>".
  connection::reply_handler logged(std::string name) {
    return
        [this, name](result<reply> r) { log.push_back(name + ": " + (r ? show(*r) : "error " + r.error().message())); };
  }

  // +OK as OK, -ERR x as -ERR x, an array as [a,b], an integer as :1.
  static std::string show(const reply& r) {
    if (r.type == reply_type::integer) return ":" + std::to_string(r.integer);
    if (r.type == reply_type::error) return "-" + r.str;
    if (r.type != reply_type::array) return r.str;
    std::string out = "[";
    for (const auto& e : r.elements) out += (out.size() > 1 ? "," : "") + show(e);
    return out + "]";
  }

  std::vector<std::string> log;
  std::vector<pubsub_message> messages;
};

// Runs `io` until nothing is left on it, at most a second.
void wind_down(net::io_context& io) {
  const auto never = [] { return false; };
  run_until(io, never, std::chrono::seconds(1));
}

struct rig {
  net::io_context io;
  fake_redis redis{io};
  recorder events;
  std::shared_ptr<connection> conn;

  // redis://<userinfo>127.0.0.1:<the fake's port><path>
  void make(std::string_view userinfo = "", std::string_view path = "") {
    endpoint where;
    std::string error;
    const auto url =
        "redis://" + std::string(userinfo) + "127.0.0.1:" + std::to_string(redis.port()) + std::string(path);
    REQUIRE(parse_url(url, where, error));
    conn = std::make_shared<connection>(io.get_executor(), where, &events);
  }
  void start(std::string_view userinfo = "", std::string_view path = "") {
    if (!conn) make(userinfo, path);
    redis.start();
    conn->start();
  }
  bool until(const std::function<bool()>& done) { return run_until(io, done); }
  bool logged(std::size_t n) {
    return until([&] { return events.log.size() >= n; });
  }

  ~rig() {
    if (conn) conn->stop();
    redis.shutdown();
    wind_down(io);
  }
};

// A port where nothing listens.
std::uint16_t dead_port(net::io_context& io) {
  tcp::acceptor a(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

const std::string subscribe_ack = "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n";

}  // namespace

TEST_CASE("redis connection: the reconnection schedule is 100 ms doubling to 5 s, +/- 50%") {
  backoff b(reconnect_schedule);
  const long long expected[] = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
  for (long long e : expected) CHECK(b.next(0).count() == e);    // random 0: no deviation
  CHECK(backoff(reconnect_schedule).next(0.95).count() == 147);  // up by floor(0.95 * 0.5 * 100)
  CHECK(backoff(reconnect_schedule).next(0.85).count() == 58);   // down by floor(0.85 * 0.5 * 100)
}

TEST_CASE("redis connection: commands get their replies in order") {
  rig t;
  t.redis.accept()
      .expect({"SET", "greeting", "hello"})
      .expect({"GET", "greeting"})
      .expect({"INCR", "greeting"})
      .send("+OK\r\n$5\r\nhello\r\n-ERR value is not an integer or out of range\r\n");  // one segment
  t.start();
  REQUIRE(t.logged(1));
  CHECK(t.conn->is_up());
  t.conn->command({"SET", "greeting", "hello"}, t.events.logged("set"));
  t.conn->command({"GET", "greeting"}, t.events.logged("get"));
  t.conn->command({"INCR", "greeting"}, t.events.logged("incr"));
  REQUIRE(t.logged(4));
  CHECK(t.events.log ==
        std::vector<std::string>{"up", "set: OK", "get: hello", "incr: -ERR value is not an integer or out of range"});
  CHECK(t.redis.failures().empty());
  REQUIRE(t.redis.received().size() == 3);
  // No AUTH or SELECT without credentials or a database: the first bytes are the caller's.
  CHECK(t.redis.received()[0] == "*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n");
  CHECK(t.redis.received()[1] == "*2\r\n$3\r\nGET\r\n$8\r\ngreeting\r\n");
}

TEST_CASE("redis connection: AUTH and SELECT from the URL, answered before it is up") {
  rig t;
  SUBCASE("user, password and database") {
    t.redis.accept().expect({"AUTH", "alice", "s3cret"}).expect({"SELECT", "3"}).hold().send("+OK\r\n+OK\r\n");
    t.redis.expect({"PING"}).send("+PONG\r\n");
    t.start("alice:s3cret@", "/3");
    REQUIRE(t.until([&] { return t.redis.holding(); }));
    CHECK(t.redis.received() == std::vector<std::string>{"*3\r\n$4\r\nAUTH\r\n$5\r\nalice\r\n$6\r\ns3cret\r\n",
                                                         "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n"});
    // The replies have not come: not up yet, and commands are refused rather than queued.
    CHECK_FALSE(t.conn->is_up());
    t.conn->command({"PING"}, t.events.logged("early"));
    CHECK(t.events.log == std::vector<std::string>{"early: error not connected to Redis"});
    t.redis.resume();
    REQUIRE(t.logged(2));
    CHECK(t.events.log.back() == "up");
  }
  SUBCASE("password alone and database 0: AUTH <password>, no SELECT") {
    t.redis.accept().expect({"AUTH", "pw"}).send("+OK\r\n").expect({"PING"}).send("+PONG\r\n");
    t.start(":pw@");
    REQUIRE(t.logged(1));
    CHECK(t.events.log == std::vector<std::string>{"up"});
  }
  t.conn->command({"PING"}, t.events.logged("ping"));
  REQUIRE(t.until([&] { return t.redis.done(); }));
  REQUIRE(t.until([&] { return t.events.log.back() == "ping: PONG"; }));
  CHECK(t.redis.failures().empty());
  CHECK(t.redis.received().back() == "*1\r\n$4\r\nPING\r\n");
}

TEST_CASE("redis connection: a refused AUTH or SELECT is reported once, then down, and it tries again") {
  rig t;
  std::string why;
  SUBCASE("AUTH") {
    why = "WRONGPASS invalid username-password pair or user is disabled.";
    t.redis.accept().expect({"AUTH", "nope"}).send("-" + why + "\r\n").expect_close();
    t.redis.accept().expect({"AUTH", "nope"}).hold();
    t.start(":nope@");
  }
  SUBCASE("SELECT") {
    why = "ERR DB index is out of range";
    t.redis.accept().expect({"SELECT", "99"}).send("-" + why + "\r\n").expect_close();
    t.redis.accept().expect({"SELECT", "99"}).hold();
    t.start("", "/99");
  }
  // The second attempt is held unanswered: the log must show one refusal only.
  REQUIRE(t.until([&] { return t.redis.holding(); }));
  CHECK(t.redis.failures().empty());
  CHECK(t.redis.accepted() == 2);
  CHECK(t.events.log == std::vector<std::string>{"refused: " + why, "down: " + why});
  CHECK_FALSE(t.conn->is_up());
}

TEST_CASE("redis connection: subscriptions are sent again after a drop, and only the ones kept") {
  rig t;
  const std::vector<std::string> first = {
      "*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nnews\r\n",
      "*2\r\n$9\r\nSUBSCRIBE\r\n$6\r\nsports\r\n",
      "*2\r\n$10\r\nPSUBSCRIBE\r\n$6\r\nuser.*\r\n",
      "*2\r\n$10\r\nSSUBSCRIBE\r\n$7\r\n{room}1\r\n",
  };
  t.redis.accept()
      .expect({"SUBSCRIBE", "news"})
      .expect({"SUBSCRIBE", "sports"})
      .expect({"PSUBSCRIBE", "user.*"})
      .expect({"SSUBSCRIBE", "{room}1"})
      .send(subscribe_ack)
      .hold()
      .expect({"UNSUBSCRIBE", "sports"})
      .drop();
  t.redis.accept().expect({"SUBSCRIBE", "news"}).expect({"PSUBSCRIBE", "user.*"}).expect({"SSUBSCRIBE", "{room}1"});
  // Remembered before the start: sent once it is up, and again after each reconnection.
  t.make();
  t.conn->subscribe("news");
  t.conn->subscribe("sports");
  t.conn->subscribe("news");  // once is enough
  t.conn->psubscribe("user.*");
  t.conn->ssubscribe("{room}1");
  t.start();
  REQUIRE(t.until([&] { return t.redis.holding(); }));
  CHECK(t.redis.received() == first);
  t.conn->unsubscribe("sports");
  t.redis.resume();
  REQUIRE(t.until([&] { return t.redis.done(); }));
  CHECK(t.redis.failures().empty());
  CHECK(t.redis.accepted() == 2);
  const std::vector<std::string> again = {first[0], first[2], first[3]};
  CHECK(std::vector<std::string>(t.redis.received().begin() + 5, t.redis.received().end()) == again);
  CHECK(t.redis.received()[4] == "*2\r\n$11\r\nUNSUBSCRIBE\r\n$6\r\nsports\r\n");
  REQUIRE(t.logged(3));
  CHECK(t.events.log == std::vector<std::string>{"up", "down: connection lost", "up"});
}

TEST_CASE("redis connection: pub/sub pushes go to the listener, acknowledgements go nowhere") {
  rig t;
  t.redis.accept()
      .expect({"SUBSCRIBE", "news"})
      .expect({"PSUBSCRIBE", "user.*"})
      .expect({"SSUBSCRIBE", "{room}1"})
      .expect({"PING"})
      // The acknowledgements come before the answer to PING (in subscribed mode an array):
      // only that answer is the waiter's.
      .send(subscribe_ack + "*3\r\n$10\r\npsubscribe\r\n$6\r\nuser.*\r\n:2\r\n" +
            "*3\r\n$10\r\nssubscribe\r\n$7\r\n{room}1\r\n:1\r\n" + "*2\r\n$4\r\npong\r\n$0\r\n\r\n")
      .send("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$7\r\na\0b\r\nc!\r\n"s)
      .send("*4\r\n$8\r\npmessage\r\n$6\r\nuser.*\r\n$6\r\nuser.7\r\n$2\r\nhi\r\n")
      .send("*3\r\n$8\r\nsmessage\r\n$7\r\n{room}1\r\n$0\r\n\r\n");
  t.make();
  t.conn->subscribe("news");
  t.conn->psubscribe("user.*");
  t.conn->ssubscribe("{room}1");
  t.conn->command({"PING"}, t.events.logged("early"));  // refused: not up yet
  t.start();
  REQUIRE(t.logged(2));
  t.conn->command({"PING"}, t.events.logged("ping"));
  REQUIRE(t.until([&] { return t.events.messages.size() == 3; }));
  CHECK(t.events.messages[0] == pubsub_message{"", "news", "a\0b\r\nc!"s, false, false});
  CHECK(t.events.messages[1] == pubsub_message{"user.*", "user.7", "hi", true, false});
  CHECK(t.events.messages[2] == pubsub_message{"", "{room}1", "", false, true});
  CHECK(t.events.log == std::vector<std::string>{"early: error not connected to Redis", "up", "ping: [pong,]"});
  CHECK(t.redis.failures().empty());
}

TEST_CASE("redis connection: while down, commands fail at once with not_connected") {
  net::io_context io;
  recorder events;
  endpoint where;
  where.port = dead_port(io);
  auto conn = std::make_shared<connection>(io.get_executor(), where, &events);
  std::vector<error_code> errors;
  auto keep = [&](result<reply> r) { errors.push_back(r ? error_code{} : r.error()); };

  conn->command({"GET", "a"}, keep);  // before start
  REQUIRE(errors.size() == 1);        // at once: nothing ran on the io_context
  CHECK(errors[0] == make_error_code(redis_error::not_connected));

  conn->start();
  REQUIRE(run_until(io, [&] { return !events.log.empty(); }));
  CHECK(events.log == std::vector<std::string>{"down: " + make_error_code(net::error::connection_refused).message()});
  conn->command({"GET", "a"}, keep);
  REQUIRE(errors.size() == 2);
  CHECK(errors[1] == make_error_code(redis_error::not_connected));
  CHECK_FALSE(conn->is_up());
  conn->stop();
  wind_down(io);
}

TEST_CASE("redis connection: replies still awaited fail when the connection drops") {
  rig t;
  t.redis.accept().expect({"GET", "a"}).expect({"GET", "b"}).send("$1\r\n1\r\n").drop();
  t.redis.accept().hold();  // the reconnection
  t.start();
  REQUIRE(t.logged(1));
  t.conn->command({"GET", "a"}, t.events.logged("a"));
  t.conn->command({"GET", "b"}, t.events.logged("b"));
  t.conn->command({"GET", "c"});  // nobody waits: still one reply in the order
  REQUIRE(t.logged(4));
  CHECK(t.events.log ==
        std::vector<std::string>{"up", "a: 1", "b: error not connected to Redis", "down: connection lost"});
  CHECK_FALSE(t.conn->is_up());
  REQUIRE(t.until([&] { return t.events.log.size() == 5; }));
  CHECK(t.events.log.back() == "up");
  CHECK(t.redis.failures().empty());
}

namespace {

// After stop(): it is down, commands fail at once, nothing else is called back (the awaited
// reply is dropped, no down is reported), nothing is left on the io_context (no retry timer,
// no step deadline, no read) and the run loop has let go of the connection.
void check_stopped(rig& t) {
  const auto before = t.events.log;
  t.conn->stop();
  CHECK_FALSE(t.conn->is_up());
  t.conn->command({"GET", "b"}, t.events.logged("b"));
  CHECK(t.events.log.back() == "b: error not connected to Redis");
  t.redis.resume();
  REQUIRE(t.until([&] { return t.redis.done(); }));  // the fake saw the socket close
  CHECK(t.redis.failures().empty());
  t.redis.shutdown();
  t.io.restart();
  t.io.run_for(std::chrono::seconds(2));
  CHECK(t.io.stopped());
  CHECK(t.conn.use_count() == 1);
  CHECK(t.redis.accepted() == 1);  // no reconnection
  auto after = before;
  after.push_back("b: error not connected to Redis");
  CHECK(t.events.log == after);
}

}  // namespace

TEST_CASE("redis connection: stop() while up, with a reply awaited, ends everything") {
  rig t;
  t.redis.accept().expect({"GET", "a"}).hold().expect_close();
  t.start();
  REQUIRE(t.logged(1));
  t.conn->command({"GET", "a"}, t.events.logged("a"));
  REQUIRE(t.until([&] { return t.redis.holding(); }));
  check_stopped(t);
}

TEST_CASE("redis connection: stop() during AUTH ends everything, the step deadline too") {
  rig t;
  t.redis.accept().expect({"AUTH", "pw"}).hold().expect_close();
  t.start(":pw@");
  REQUIRE(t.until([&] { return t.redis.holding(); }));
  check_stopped(t);
}

TEST_CASE("redis connection: stop() while waiting to retry ends everything") {
  rig t;
  t.redis.accept().drop();
  t.start();
  REQUIRE(t.logged(2));
  CHECK(t.events.log == std::vector<std::string>{"up", "down: connection lost"});
  check_stopped(t);
}

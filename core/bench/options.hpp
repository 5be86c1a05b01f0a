#pragma once
// What `sio bench` is asked to do, independent of the command line.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/client/engine_client.hpp"
#include "core/socketio/parser.hpp"

namespace sio::bench {

enum class scenario { echo, broadcast, connect, idle };

struct options {
  scenario kind = scenario::echo;
  client::engine_options engine;  // URL, path, transport, headers, query, TLS
  // --also: more servers (a cluster's other members). Each is a copy of `engine` with another URL
  // (same namespace and scheme kind); client g connects to target g % (1 + also.size()).
  std::vector<client::engine_options> also;
  std::string nsp = "/";
  std::string auth;  // CONNECT payload, a JSON object or empty
  const socketio::parser* parser = &socketio::json_parser();
  unsigned clients = 100;
  double duration_s = 10;
  double warmup_s = 1;
  double ramp_up_s = 0;
  std::size_t payload_size = 32;
  std::string event = "bench";
  double rate = 0;        // echo: per client (0: closed loop); broadcast: total over the senders (0: closed loop)
  unsigned pipeline = 1;  // closed loop: emits in flight per client
  unsigned senders = 1;
  double connect_rate = 100;  // connect scenario: new connections per second
  unsigned threads = 1;
  std::vector<net::ip::address> source_addresses;  // bound in turn; empty: the kernel chooses
  std::chrono::milliseconds connect_timeout{10000};
  // An emit whose ack is not back within this long counts as an error (0: never); a late ack is ignored.
  std::chrono::milliseconds ack_timeout{10000};
  // Plain ws:// goes through the lean link unless this is off (SIO_BENCH_LINK=full): then every
  // client is the full Engine.IO client on Beast's WebSocket, for comparing the two stacks.
  bool lean_link = true;

  std::size_t target_count() const { return 1 + also.size(); }
  // Target 0 is the main URL, then the --also URLs in order.
  const client::engine_options& target(std::size_t i) const { return i == 0 ? engine : also[i - 1]; }
};

}  // namespace sio::bench

#pragma once
// What a worker measures. Each worker owns its own (nothing shared between threads); the
// runner collects copies on the worker's thread and merges them.
#include <cstdint>
#include <string>

#include "core/common/histogram.hpp"

namespace sio::bench {

struct counts {
  std::uint64_t sent = 0;      // events emitted in the measured window
  std::uint64_t received = 0;  // acks (echo) or deliveries (broadcast) in the window
  std::uint64_t errors = 0;    // failed connects, CONNECT_ERRORs, protocol errors, drops, ack timeouts
  std::uint64_t drops = 0;     // established connections lost during the run
  std::uint64_t connects = 0;  // successful Socket.IO connects, reconnects included
  std::uint64_t connect_failures = 0;
  std::uint64_t ack_timeouts = 0;  // emits whose ack was not back within the ack timeout
  std::uint64_t reconnects = 0;    // dropped clients that got back in

  counts& operator+=(const counts& o) {
    sent += o.sent;
    received += o.received;
    errors += o.errors;
    drops += o.drops;
    connects += o.connects;
    connect_failures += o.connect_failures;
    ack_timeouts += o.ack_timeouts;
    reconnects += o.reconnects;
    return *this;
  }
};

struct stats {
  counts total;
  histogram latency;          // ns, the measured window
  histogram connect_latency;  // ns, every connect
  std::uint64_t connected_now = 0;
  std::uint64_t in_flight = 0;      // echo: sent and not yet acknowledged
  std::string first_connect_error;  // why the first failed connect failed ("connect_error: Invalid namespace")

  void merge(const stats& o) {
    if (first_connect_error.empty()) first_connect_error = o.first_connect_error;
    total += o.total;
    latency.merge(o.latency);
    connect_latency.merge(o.connect_latency);
    connected_now += o.connected_now;
    in_flight += o.in_flight;
  }
};

// One progress interval: what happened since the previous snapshot.
struct interval {
  counts delta;
  histogram latency;
  std::uint64_t connected_now = 0;

  void merge(const interval& o) {
    delta += o.delta;
    latency.merge(o.latency);
    connected_now += o.connected_now;
  }
};

}  // namespace sio::bench

#pragma once
// What a cluster member does with the local sockets when another member asks, whichever
// Redis adapter carried the request (classic or sharded): the same answers in both.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/redis/adapter_messages.hpp"
#include "core/server/sio_server.hpp"

namespace sio::redis {

// The local sockets of `opts.rooms` (all when empty) minus those in `opts.except`, as
// fetchSockets reports them.
std::vector<fetched_socket> fetch_local(const server::server_namespace& nsp, const broadcast_options& opts);
// socketsJoin / socketsLeave.
void join_local(server::server_namespace& nsp, const broadcast_options& opts, const std::vector<std::string>& rooms,
                bool join);
// disconnectSockets(close).
void disconnect_local(server::sio_server& server, server::server_namespace& nsp, const broadcast_options& opts,
                      bool close);
// sio serve has no server-side handlers; like its echo, it answers a serverSideEmit with the
// first argument after the event name (`null` when there is none). `data` is the JSON array
// [event, ...args].
std::string server_side_emit_answer(std::string_view data);
// How long a member waits for its clients' acks to a broadcast: the asker's timeout plus a
// second for the answer to cross Redis (none given: until the cap of pending acks pushes it out).
std::optional<std::chrono::milliseconds> ack_wait(const broadcast_options& opts);
// The first argument of a client's ACK, as the Node adapters' ack callbacks receive it
// (nullopt for none: the key is then left out, as `undefined` is).
std::optional<payload> first_ack_argument(const socketio::packet& ack);

}  // namespace sio::redis

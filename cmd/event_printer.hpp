#pragma once
// How the client commands print what arrives: a text line `[/nsp ]event arg...`, or with
// --json one NDJSON object {"time","nsp","event","args"}; binary as {"$binary":"..."}.
#include <string>
#include <string_view>
#include <vector>

#include "core/client/sio_client.hpp"

namespace sio::cmd {

std::string now_iso8601();

// The args of an event or ack as one JSON array, binary spelled {"$binary":"..."}.
std::string args_array(const std::vector<std::string_view>& args, const std::vector<std::string>& attachments);
std::string ack_array(const client::ack_result& r);

// The arguments as JSON values separated by spaces, each after a space: ` "hi" 42`.
std::string args_words(const client::incoming_event& ev);
std::string format_event(const client::incoming_event& ev, bool json);

// With --json, being connected is a record too (on every connect and reconnect), so that a
// script can wait for it: {"time","type":"connected","nsp","sid","transport","url"}.
std::string connected_record(std::string_view nsp, std::string_view sid, std::string_view transport,
                             std::string_view url);

// Writes a line to stdout and flushes it (readers of a pipe see it at once).
void print_line(std::string_view line);

}  // namespace sio::cmd

#include "core/socketio/parser.hpp"

namespace sio::socketio {

const parser* find_parser(std::string_view name) {
  if (name == json_parser().name()) return &json_parser();
  return nullptr;
}

}  // namespace sio::socketio

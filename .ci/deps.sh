#!/usr/bin/env bash
# Installs what is missing on a Debian 12 machine, and nothing that is already there.
#   .ci/deps.sh build   what building sio and its .deb (cpack: dpkg-dev) needs
#   .ci/deps.sh demo    that, plus the socket.io-client bundle that the build embeds in the
#                       demo page (npm ci in tests/interop)
#   .ci/deps.sh test    that, plus every test peer: clang (fuzzing), clang-format, Node's
#                       socket.io/socket.io-client (npm ci), python-socketio, Chromium,
#                       redis-server and nginx (tests/redis), and what tests/install checks
#                       the shipped build with: man-db, zsh, fish
set -euo pipefail
what=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)

build_packages=(cmake ninja-build g++ pkg-config libboost1.81-dev libcli11-dev nlohmann-json3-dev
                libfmt-dev doctest-dev libssl-dev dpkg-dev)
test_packages=(clang libclang-rt-14-dev clang-format python3 python3-socketio python3-websocket
               python3-requests python3-flask-socketio python3-eventlet redis-server nginx openssl chromium
               man-db zsh fish)

packages=("${build_packages[@]}")
[ "$what" = test ] && packages+=("${test_packages[@]}")
command -v node >/dev/null && command -v npm >/dev/null || { [ "$what" = build ] || packages+=(nodejs npm); }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The npm peers, exactly as pinned by the lockfile; reinstalled only when the lockfile changed.
if [ "$what" != build ]; then
  interop=$root/tests/interop
  stamp=$interop/node_modules/.sio-lock-stamp
  if ! cmp -s "$interop/package-lock.json" "$stamp" 2>/dev/null; then
    echo "deps: npm ci in tests/interop" >&2
    (cd "$interop" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$interop/package-lock.json" "$stamp"
  fi
fi

#!/usr/bin/env bash
# Installs what is missing on a Debian 12 machine, and nothing that is already there.
#   .ci/deps.sh build   what building sio needs
#   .ci/deps.sh test    that, plus what the test suite needs
set -euo pipefail
what=${1:-build}

build_packages=(cmake ninja-build g++ pkg-config libboost1.81-dev libcli11-dev nlohmann-json3-dev
                libfmt-dev doctest-dev libssl-dev)
test_packages=(clang libclang-rt-14-dev clang-format)

packages=("${build_packages[@]}")
[ "$what" = test ] && packages+=("${test_packages[@]}")

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

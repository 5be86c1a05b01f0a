#!/usr/bin/env bash
# The shipped build, checked the way a user gets it: the Release configuration (as
# .ci/serve-demo builds it), installed with `cmake --install`, copied out of the checkout and run
# from elsewhere with the source tree hidden; then the .deb, installed and removed with dpkg.
#
#   bash tests/install/install_test.sh [BUILD_DIR]     (default: build/release)
#
# ctest runs it as install.shipped (tests/CMakeLists.txt). Needs what `bash .ci/deps.sh test`
# installs (Chromium and playwright-core for the demo page, zsh, fish, man-db). The dpkg part needs root and is skipped without it. Prints
# `ok NAME` / `FAIL NAME: reason` per check, `# ...` for notes, then `N passed, M failed`;
# exits 0 iff every check passed.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m "${1:-$root/build/release}")
jobs=${JOBS:-$(nproc)}

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
note() { echo "# $*"; }
# check NAME COMMAND...: ok when COMMAND succeeds, else FAIL with the last lines of its output.
check() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$name"; else fail "$name" "$(tail -n 5 <<<"$out" | tr '\n' ' ')"; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

tmp=$(mktemp -d /tmp/sio-install-test.XXXXXX)
deb_installed=false
s_server=
cleanup() {
  if [ -n "$s_server" ]; then kill "$s_server" 2>/dev/null; fi
  if $deb_installed; then dpkg -r sio >/dev/null 2>&1; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- the Release build, as shipped -------------------------------------------------------
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSIO_TESTS=OFF >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log"; fail "configure" "see above"; finish; }
# At low priority: under ctest it runs beside the other tests, and must not slow them down.
if ! nice -n 19 cmake --build "$build" -j"$jobs" --target sio >"$tmp/build.log" 2>&1; then
  cat "$tmp/build.log"
  fail "Release build" "see above"
  finish
fi
if grep -qiE 'warning' "$tmp/build.log"; then
  fail "Release build prints no warnings" "$(grep -iE -m 3 'warning' "$tmp/build.log" | tr '\n' ' ')"
elif grep -q 'Building CXX' "$tmp/build.log"; then
  ok "Release build prints no warnings"
else
  note "Release build: nothing recompiled, so no warnings to look for"
fi

# ---- cmake --install, then moved out of the checkout --------------------------------------
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "cmake --install" "see above"; finish; }
expected="bin/sio
share/bash-completion/completions/sio
share/doc/sio/copyright
share/fish/vendor_completions.d/sio.fish
share/man/man1/sio.1
share/zsh/vendor-completions/_sio"
check "cmake --install: exactly the binary, man page, completions and copyright" \
  diff <(echo "$expected") <(cd "$tmp/prefix" && find . -type f | sed 's|^\./||' | sort)
mkdir -p "$tmp/elsewhere" "$tmp/cwd" "$tmp/home"
cp -a "$tmp/prefix" "$tmp/elsewhere/sio" && rm -rf "$tmp/prefix"
prefix=$tmp/elsewhere/sio
sio=$prefix/bin/sio
cd "$tmp/cwd"
export HOME=$tmp/home  # the shells below write their caches there, not in the real home

version=$(sed -n 's/^project(sio VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
check "sio --version says $version" bash -c "'$sio' --version | grep -qx 'sio $version'"
check "the binary names no path in the checkout" bash -c "! grep -qF '$root' '$sio'"

# The source tree hidden: sio runs in a mount namespace of its own where the checkout is an
# empty directory (unshare execs, so the wrapper's pid is sio's).
hidden=$tmp/sio-source-hidden
cat >"$hidden" <<EOF
#!/bin/sh
exec unshare --mount sh -c 'mount -t tmpfs -o ro tmpfs "\$0" && exec "\$@"' '$root' '$sio' "\$@"
EOF
chmod +x "$hidden"
if unshare --mount sh -c "mount -t tmpfs -o ro tmpfs '$root' && ! test -e '$root/CMakeLists.txt'" 2>/dev/null; then
  check "sio --version with the source tree hidden" "$hidden" --version
  demo_sio=$hidden
else
  note "cannot hide the source tree here (unshare --mount not permitted): the demo runs it from $tmp/cwd"
  demo_sio=$sio
  hidden=
fi
if node "$root/tests/browser/demo_test.js" --sio "$demo_sio" >"$tmp/demo.log" 2>&1; then
  ok "demo page in headless Chromium ($(tail -n 1 "$tmp/demo.log"))"
else
  sed 's/^/#   /' "$tmp/demo.log"
  fail "demo page in headless Chromium" "$(grep -m 3 '^FAIL' "$tmp/demo.log" | tr '\n' ' ')"
fi

# Another distribution's CA layout: no /usr/lib/ssl (where the static OpenSSL looks), the CAs in
# /etc/ssl/cert.pem (Alpine's and Arch's bundle). A TLS server whose certificate a test CA
# signed must pass verification (it then fails at the Engine.IO level: it is not Socket.IO).
if [ -n "$hidden" ] && command -v openssl >/dev/null; then  # unshare works
  ca=$tmp/ca
  mkdir -p "$ca/lib/x86_64-linux-gnu"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$ca/ca.key" -out "$ca/ca.pem" -days 1 -subj "/CN=sio test CA" 2>/dev/null &&
    openssl req -newkey rsa:2048 -nodes -keyout "$ca/srv.key" -out "$ca/srv.csr" -subj "/CN=localhost" 2>/dev/null &&
    openssl x509 -req -in "$ca/srv.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial -out "$ca/srv.pem" -days 1 \
      -extfile <(echo "subjectAltName=DNS:localhost") 2>/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  openssl s_server -accept "127.0.0.1:$port" -cert "$ca/srv.pem" -key "$ca/srv.key" -www -quiet >/dev/null 2>&1 &
  s_server=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  # /usr/lib is swapped for a directory with only the loader's libraries, /etc/ssl for the test CA.
  other_distro() {
    env -u SSL_CERT_FILE -u SSL_CERT_DIR unshare --mount sh -c "
      mount -t tmpfs tmpfs /etc/ssl && cp '$ca/ca.pem' /etc/ssl/cert.pem &&
      mount --bind /usr/lib/x86_64-linux-gnu '$ca/lib/x86_64-linux-gnu' && mount --rbind '$ca/lib' /usr/lib &&
      exec '$sio' emit https://localhost:$port x --timeout 5" 2>&1
  }
  out=$(other_distro)
  if grep -q 'Engine.IO' <<<"$out" && ! grep -q 'certificate verify failed' <<<"$out"; then
    ok "TLS: without /usr/lib/ssl, the CAs in /etc/ssl/cert.pem are trusted"
  else
    fail "TLS: without /usr/lib/ssl, the CAs in /etc/ssl/cert.pem are trusted" "$out"
  fi
  kill "$s_server" 2>/dev/null
  wait "$s_server" 2>/dev/null
  s_server=
fi

man_page=$prefix/share/man/man1/sio.1
check "man -l renders sio.1 without warnings" \
  bash -c "warnings=\$(MANWIDTH=80 man --warnings -l '$man_page' 2>&1 >/dev/null); [ -z \"\$warnings\" ] || { echo \"\$warnings\"; false; }"

check "bash completion loads (complete -p sio)" \
  bash -c "source '$prefix/share/bash-completion/completions/sio' && complete -p sio | grep -q '_sio sio\$'"
if command -v zsh >/dev/null; then
  check "zsh completion loads (compinit finds #compdef sio)" \
    zsh -fc "fpath=('$prefix/share/zsh/vendor-completions' \$fpath); autoload -Uz compinit && compinit -u -D &&
             [[ \${_comps[sio]} == _sio ]] && autoload -Uz +X _sio"
else
  fail "zsh completion" "zsh is not installed (bash .ci/deps.sh test)"
fi
if command -v fish >/dev/null; then
  check "fish completion loads (complete -C 'sio ' offers serve)" \
    fish --no-config -c "source '$prefix/share/fish/vendor_completions.d/sio.fish'; complete -C 'sio ' | string match -q 'serve*'"
else
  fail "fish completion" "fish is not installed (bash .ci/deps.sh test)"
fi

# ---- the .deb -----------------------------------------------------------------------------
if ! (cd "$build" && cpack -G DEB -B "$tmp/deb" >"$tmp/cpack.log" 2>&1); then
  cat "$tmp/cpack.log"
  fail "cpack -G DEB" "see above"
  finish
fi
deb=$(ls "$tmp"/deb/sio_*.deb)
ok "cpack -G DEB: $(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
note "Depends: $depends"
# Depends comes from the libraries sio really loads: none when it is static (the Release
# default), libc6 and no more when only glibc is dynamic.
if readelf -d "$sio" | grep -q NEEDED; then
  check "Depends names the shared libraries sio needs" bash -c "grep -q 'libc6' <<<'$depends'"
else
  check "Depends is empty for a static sio" test -z "$depends"
fi
check "Recommends ca-certificates (for https:// URLs)" \
  bash -c "dpkg-deb -f '$deb' Recommends | grep -qx ca-certificates"
if [ "$(id -u)" -ne 0 ]; then
  note "skip dpkg -i / dpkg -r: not root"
elif dpkg-query -W -f='${Status}' sio 2>/dev/null | grep -q 'install ok installed'; then
  fail "dpkg -i" "a sio package is already installed here; not touching it"
else
  if dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
    deb_installed=true
    ok "dpkg -i"
    check "/usr/bin/sio --version" bash -c "/usr/bin/sio --version | grep -qx 'sio $version'"
    check "man sio finds the page" man -w sio
    dpkg -L sio >"$tmp/files"
    if dpkg -r sio >>"$tmp/dpkg.log" 2>&1; then
      deb_installed=false
      # Every file the package had is gone, its doc directory too, and dpkg knows no trace of
      # it (no conffiles, so no config-files state).
      left=$(while read -r f; do if [ -e "$f" ] && [ ! -d "$f" ]; then echo "$f"; fi; done <"$tmp/files")
      if [ -d /usr/share/doc/sio ]; then left+=" /usr/share/doc/sio"; fi
      status=$(dpkg-query -W -f='${Status}' sio 2>/dev/null || echo "not-installed")
      if [ -z "${left// /}" ] && [[ $status == *not-installed ]]; then
        ok "dpkg -r leaves nothing behind"
      else
        fail "dpkg -r leaves nothing behind" "left: ${left:-no file}; status: $status"
      fi
    else
      fail "dpkg -r" "$(tail -n 3 "$tmp/dpkg.log" | tr '\n' ' ')"
    fi
  else
    fail "dpkg -i" "$(tail -n 3 "$tmp/dpkg.log" | tr '\n' ' ')"
  fi
fi

finish

#!/usr/bin/env bash
# The link launcher of the static sio (CMakeLists.txt): runs the link and drops, each with the
# "in function" line before it, the warnings libc.a attaches to getaddrinfo, gethostbyname and
# dlopen ("Using 'X' in statically linked applications requires at runtime the shared libraries
# from the glibc version used for linking"). CMakeLists.txt says why they are moot for sio;
# every other line, and the exit status, pass through.
set -o pipefail
"$@" 2>&1 | awk '
  /in statically linked applications requires at runtime the shared libraries from the glibc version used for linking/ {
    held = ""; next
  }
  { if (held != "") print held; held = "" }
  /: in function `.*\047:$/ { held = $0; next }
  { print }
  END { if (held != "") print held }'

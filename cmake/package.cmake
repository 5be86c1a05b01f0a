# `cpack` in the build directory: a .deb of what cmake/install.cmake installs, under /usr.
set(SIO_MAINTAINER "the sio developers <maintainers@users.noreply.r-seed-6cb49038.example>"
    CACHE STRING "The .deb's Maintainer field")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sio)
set(CPACK_PACKAGE_VENDOR "the sio developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Socket.IO command-line toolkit: server, client and load generator")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "sio speaks Engine.IO v4 and Socket.IO v5 over HTTP long-polling and WebSocket,\n"
  "and interoperates with the JavaScript socket.io server and client: sio serve\n"
  "is a server with a browser demo page and Redis clustering; sio emit, listen and\n"
  "connect are the client for shells and CI; sio bench is a load generator.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # sio_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SIO_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# The Depends line from the shared libraries the binary really loads (dpkg-shlibdeps, in
# dpkg-dev): none for the static Release build. The CAs for https:// URLs are recommended.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)
include(CPack)

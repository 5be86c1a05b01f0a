// Linked into static builds only (CMakeLists.txt). A static glibc resolves host names with the
// NSS backends built into libc.a, files and dns; any other backend /etc/nsswitch.conf names
// (resolve, myhostname, mdns, sss...) it would dlopen from the host together with the host's
// libc.so, which works only with the very glibc sio was built with. Naming the built-in
// backends here makes every distribution resolve the same way: /etc/hosts, then DNS.
#include <nss.h>

namespace {

[[maybe_unused]] const int hosts_configured = __nss_configure_lookup("hosts", "files dns");

}  // namespace

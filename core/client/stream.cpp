#include "core/client/stream.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "core/client/proxy_tunnel.hpp"

namespace sio::client {

namespace {

// The system's CAs. OpenSSL is linked statically (CMakeLists.txt), so its default locations are
// the build machine's, Debian's /usr/lib/ssl; on a system without that directory, the first CA
// bundle found where other distributions keep theirs is loaded instead (the list Go's
// crypto/x509 tries). SSL_CERT_FILE and SSL_CERT_DIR still win.
void trust_system_cas(ssl::context& ctx) {
  ctx.set_default_verify_paths();
  std::error_code ec;
  if (std::getenv("SSL_CERT_FILE") || std::getenv("SSL_CERT_DIR") ||
      std::filesystem::exists(X509_get_default_cert_dir(), ec))
    return;
  for (const char* bundle : {"/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Arch, Alpine
                             "/etc/pki/tls/certs/ca-bundle.crt",                   // Fedora, RHEL
                             "/etc/ssl/ca-bundle.pem",                             // openSUSE
                             "/etc/pki/tls/cacert.pem",                            // OpenELEC
                             "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // CentOS, RHEL 7
                             "/etc/ssl/cert.pem"}) {                               // Alpine, Arch
    if (!std::filesystem::is_regular_file(bundle, ec)) continue;
    beast::error_code load_ec;
    ctx.load_verify_file(bundle, load_ec);
    if (!load_ec) return;
  }
}

// OpenSSL's reason for the last failure, without its error-queue prefix.
std::string openssl_reason(const beast::error_code& ec) {
  if (ec.category() != net::error::get_ssl_category()) return ec.message();
  const char* reason = ::ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
  return reason ? reason : ec.message();
}

void load_client_certificate(ssl::context& ctx, const std::string& cert, const std::string& key) {
  beast::error_code ec;
  ctx.use_certificate_chain_file(cert, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot load client certificate {}: {}", cert, openssl_reason(ec)));
  // An encrypted key would make OpenSSL prompt on the terminal: fail instead.
  ctx.set_password_callback([](std::size_t, ssl::context::password_purpose) { return std::string(); });
  ctx.use_private_key_file(key, ssl::context::pem, ec);
  if (ec && ec.category() == net::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH)
    throw std::runtime_error(fmt::format("private key {} does not match client certificate {}", key, cert));
  if (ec)
    throw std::runtime_error(
        fmt::format("cannot load private key {}: {} (an unencrypted PEM key is needed)", key, openssl_reason(ec)));
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    throw std::runtime_error(fmt::format("private key {} does not match client certificate {}", key, cert));
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const tls_options& o) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  trust_system_cas(*ctx);
  if (!o.ca_file.empty()) {
    beast::error_code ec;
    ctx->load_verify_file(o.ca_file, ec);
    if (ec) throw std::runtime_error("cannot load CA file " + o.ca_file + ": " + ec.message());
  }
  if (!o.cert_file.empty()) load_client_certificate(*ctx, o.cert_file, o.key_file.empty() ? o.cert_file : o.key_file);
  ctx->set_verify_mode(o.insecure ? ssl::verify_none : ssl::verify_peer);
  return ctx;
}

beast::tcp_stream& lowest_layer(any_stream& s) {
  return std::visit([](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); }, s);
}

awaitable<std::pair<error_code, std::optional<any_stream>>> connect_stream(const endpoint_spec& where,
                                                                           std::chrono::milliseconds timeout) {
  auto ex = co_await net::this_coro::executor;
  beast::tcp_stream tcp(ex);
  tcp.expires_after(timeout);
  error_code cec;
  beast::error_code not_numeric;
  // Through a proxy, the TCP connection goes to the proxy; the server's name is CONNECT's business.
  const std::string& dial_host = where.proxy ? where.proxy->host : where.host;
  const std::uint16_t dial_port = where.proxy ? where.proxy->port : where.port;
  if (where.trace)
    where.trace->note(where.transport,
                      fmt::format("connecting to {}{}:{}", where.proxy ? "proxy " : "", dial_host, dial_port));
  const auto address = net::ip::make_address(dial_host, not_numeric);
  if (!not_numeric) {
    // A literal address needs no resolver (whose getaddrinfo runs on a thread of its own).
    std::tie(cec) = co_await tcp.async_connect(tcp::endpoint(address, dial_port), use_tuple);
  } else {
    tcp::resolver resolver(ex);
    auto [rec, results] = co_await resolver.async_resolve(dial_host, std::to_string(dial_port), use_tuple);
    if (rec) co_return std::pair{rec, std::nullopt};
    tcp::endpoint ep;
    std::tie(cec, ep) = co_await tcp.async_connect(results, use_tuple);
  }
  if (cec) co_return std::pair{cec, std::nullopt};
  tcp.socket().set_option(tcp::no_delay(true), cec);
  if (where.proxy) {
    if (auto tec =
            co_await open_tunnel(tcp, *where.proxy, where.host, where.port, timeout, where.trace, where.transport))
      co_return std::pair{tec, std::nullopt};
    tcp.expires_after(timeout);
  }

  if (!where.tls) {
    tcp.expires_never();
    std::optional<any_stream> out;
    out.emplace(std::in_place_type<plain_stream>, std::move(tcp));
    co_return std::pair{error_code{}, std::move(out)};
  }
  tls_stream tls(std::move(tcp), *where.tls);
  if (!SSL_set_tlsext_host_name(tls.native_handle(), where.host.c_str()))
    co_return std::pair{error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()), std::nullopt};
  if (where.tls->native_handle() && SSL_CTX_get_verify_mode(where.tls->native_handle()) != SSL_VERIFY_NONE)
    tls.set_verify_callback(ssl::host_name_verification(where.host));
  beast::get_lowest_layer(tls).expires_after(timeout);
  auto [hec] = co_await tls.async_handshake(ssl::stream_base::client, use_tuple);
  if (hec) co_return std::pair{hec, std::nullopt};
  beast::get_lowest_layer(tls).expires_never();
  if (where.trace)
    where.trace->note(where.transport, fmt::format("TLS handshake done: {} {}", SSL_get_version(tls.native_handle()),
                                                   SSL_get_cipher_name(tls.native_handle())));
  std::optional<any_stream> out;
  out.emplace(std::in_place_type<tls_stream>, std::move(tls));
  co_return std::pair{error_code{}, std::move(out)};
}

}  // namespace sio::client

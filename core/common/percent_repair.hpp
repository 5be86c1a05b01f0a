#pragma once
// URL text as people type it and peers send it, made valid for Boost.URL, which refuses raw
// spaces, UTF-8 or a stray '%'. Included only by the .cpp files that parse with Boost.URL.
#include <boost/url/encode.hpp>
#include <boost/url/grammar/hexdig_chars.hpp>
#include <boost/url/rfc/gen_delim_chars.hpp>
#include <boost/url/rfc/sub_delim_chars.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <string>
#include <string_view>

namespace sio {

// Every character a URL may hold as it is, its delimiters included.
constexpr auto url_chars = boost::urls::unreserved_chars + boost::urls::gen_delim_chars + boost::urls::sub_delim_chars;

// Percent-encodes each character outside `allowed` (which must not hold '%'), as a browser does;
// keeps whole escapes, and encodes a '%' that starts none ("%zz", a trailing "%4") as %25, so that
// it decodes back to itself, as Node's querystring and browsers keep it. Valid text is unchanged.
template <class CharSet>
std::string percent_repair(std::string_view s, const CharSet& allowed) {
  std::string out;
  out.reserve(s.size());
  for (;;) {
    const auto pct = s.find('%');
    out += boost::urls::encode(s.substr(0, pct), allowed);
    if (pct == std::string_view::npos) return out;
    const bool whole = pct + 2 < s.size() && boost::urls::grammar::hexdig_chars(s[pct + 1]) &&
                       boost::urls::grammar::hexdig_chars(s[pct + 2]);
    out += whole ? "%" : "%25";
    s.remove_prefix(pct + 1);
  }
}

}  // namespace sio

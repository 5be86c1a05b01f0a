// Boost.URL's compiled part, built once into sio_common: Debian ships its headers but no libboost_url.
#include <boost/url/src.hpp>

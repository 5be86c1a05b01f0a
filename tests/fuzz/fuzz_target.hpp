#pragma once
// One source per fuzz target serves two builds: with SIO_LIBFUZZER it is a libFuzzer entry
// point (clang, -fsanitize=fuzzer); otherwise a plain function that the seed-replay test in
// the GCC test binary calls on every corpus file, so the targets always compile and run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#ifdef SIO_LIBFUZZER
#define SIO_FUZZ_TARGET(name) extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#else
#define SIO_FUZZ_TARGET(name) int sio_fuzz_##name(const std::uint8_t* data, std::size_t size)
#endif

// A property that must hold; abort() so that both libFuzzer and the replay test see a crash.
#define SIO_FUZZ_ASSERT(cond)  \
  do {                         \
    if (!(cond)) std::abort(); \
  } while (0)

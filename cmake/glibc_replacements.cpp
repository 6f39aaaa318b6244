// Definitions of the two glibc symbols that the static libstdc++ of a newer toolchain references
// but that have no older version to pin (cmake/GlibcBaseline.cmake). Hidden: they satisfy the
// references inside this binary and are never exported.
#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

extern "C" {

// glibc 2.32. libstdc++ skips atomic reference counting when it reads non-zero; zero is always
// correct (atomics everywhere), only a little slower in a process that never starts a thread.
__attribute__((visibility("hidden"))) char __libc_single_threaded = 0;

// glibc 2.36. Only std::random_device reaches it (its object file comes in with libstdc++'s string
// instantiations); this project never draws from the OS entropy source, randomness is seeded.
// getrandom() is glibc 2.25.
__attribute__((visibility("hidden"))) std::uint32_t arc4random(void) noexcept {
  std::uint32_t value = 0;
  for (;;) {
    const ssize_t got = getrandom(&value, sizeof value, 0);
    if (got == static_cast<ssize_t>(sizeof value)) return value;
    if (got < 0 && errno != EINTR) std::abort();  // no entropy source at all: nothing sane to return
  }
}
}

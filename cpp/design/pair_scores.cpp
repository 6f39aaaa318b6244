#include "design/pair_scores.h"

#include <algorithm>
#include <atomic>

#include "linalg/thread_pool.h"

namespace arm {

bool pair_scores(const double* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t m,
                 double* q, const volatile std::int32_t* cancel) {
  const std::int64_t chunk = 1 << 16;
  const std::int64_t chunks = (m + chunk - 1) / chunk;
  std::atomic<bool> cancelled{false};
  parallel_for(static_cast<std::size_t>(chunks), [&](std::size_t c) {
    if (cancelled.load(std::memory_order_relaxed)) return;
    if (cancel && *cancel) {
      cancelled.store(true);
      return;
    }
    const std::int64_t begin = static_cast<std::int64_t>(c) * chunk;
    pair_distances(Y, d, pairs, begin, std::min(m, begin + chunk), q);
  });
  return !cancelled.load();
}

}  // namespace arm

// A small fixed pool for the compute-bound steps (GEMM blocks, pair scores). No OpenMP runtime:
// prebuilt binaries must not depend on libgomp.
#pragma once

#include <cstddef>
#include <functional>

namespace arm {

// Runs body(task) for task in [0, tasks) on up to hardware_concurrency threads, the caller
// included, and returns when all are done. When another call already occupies the pool (several
// selections running at once from different Node workers), the tasks run on the calling thread
// instead: same results, no deadlock, no oversubscription.
void parallel_for(std::size_t tasks, const std::function<void(std::size_t)>& body);

unsigned worker_count();

}  // namespace arm

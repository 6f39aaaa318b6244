// The kernel layer's public C++ interface: everything the Node binding (binding/) and the CUDA
// layer (cuda/) may call. Plain pointers and sizes, float64 results, no Node types; each area's
// header documents its kernels.
#pragma once

#include "design/greedy_dopt.h"
#include "design/greedy_implicit.h"
#include "design/information_matrix.h"
#include "design/pair_scores.h"
#include "design/project_responses.h"
#include "design/sequential_gains.h"
#include "linalg/cholesky.h"
#include "linalg/isa.h"
#include "linalg/reductions.h"
#include "linalg/thread_pool.h"
#include "rules/batchbald.h"
#include "rules/coreset.h"
#include "train/mlp.h"

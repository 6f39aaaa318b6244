// The argument lists of the entries that the CPU glue (workers.cpp) and the CUDA glue
// (cuda_bridge.cpp) both export, parsed once here so the two accept and refuse exactly the same
// calls. Each parser also allocates the call's outputs on the JS thread.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>

#include "arguments.h"
#include "kernel_worker.h"

namespace arm_binding {

// informationMatrix(features, n, d, pairs, weights, ridge, base?) → d×d
struct InformationCall {
  Problem p;
  Checked<double> weights;
  double ridge = 0.0;
  const double* base = nullptr;
  Napi::Value base_value;  // kept referenced while the worker reads base in place
  Napi::Float64Array out;
};
InformationCall information_call(const Napi::CallbackInfo& info);

// cholesky(M, d) → { factor, logDet }
struct CholeskyCall {
  std::int64_t d = 0;
  Napi::Float64Array M;       // read from the lower triangle; non-finite entries reach the kernel
  Napi::Float64Array factor;  // d×d output
  std::shared_ptr<double> log_det;
  Settle settle;  // resolves to { factor, logDet }
};
CholeskyCall cholesky_call(const Napi::CallbackInfo& info);

// (features, n, d, factor[, pairs at 4]): quadraticForms, projectResponses, crossGreedy's start.
struct FactoredCall {
  Problem p;
  Napi::Float64Array factor;
};
FactoredCall factored_call(const Napi::CallbackInfo& info, int pairs_index, std::int64_t min_n = 1);

// greedy(features, n, d, factor, pairs, lambdas, k, lazy, cancel?, progress?) → { picks, quadratic }
struct GreedyCall {
  Problem p;
  Napi::Float64Array factor;
  Napi::Float64Array lambdas;  // read in place: they change the answer, not the memory touched
  const double* L = nullptr;   // factor's and lambdas' data, for the worker thread
  const double* lambda_data = nullptr;
  std::int64_t k = 0;
  bool lazy = false;
  Napi::Value cancel_holder;
  const volatile std::int32_t* cancel = nullptr;
  Napi::Value progress_holder;
  volatile std::int32_t* progress = nullptr;
  std::int32_t* picks = nullptr;
  double* quadratic = nullptr;
  Napi::Object result;
};
GreedyCall greedy_call(const Napi::CallbackInfo& info);

}  // namespace arm_binding

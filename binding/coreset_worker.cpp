#include "coreset_worker.h"

#include <string>
#include <vector>

#include "active_rm/active_rm.h"
#include "arguments.h"
#include "kernel_worker.h"

namespace arm_binding {

// coresetSensitivities(features, n, d, pairs, seeds, iterations, radius, cancel?)
//   → Promise<Float64Array m>; K = seeds.length distinct pair positions, the initial centers.
Napi::Value CoresetSensitivities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Problem p = problem_arguments(info, 3);
  const std::int64_t n = p.n, d = p.d, m = p.m;
  const FeatureView features = p.features;
  const Checked<std::int32_t> pairs = p.pairs;
  if (m == 0) throw_range(env, "pairs must hold at least one pair");
  if (info.Length() <= 4 || !info[4].IsTypedArray() ||
      info[4].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw_type(env, "seeds must be an Int32Array of distinct pair positions; got " + describe(info, 4));
  Napi::Int32Array seed_array = info[4].As<Napi::Int32Array>();
  require_fixed_length(env, seed_array, "seeds");
  auto seeds = std::make_shared<std::vector<std::int32_t>>(seed_array.Data(),
                                                           seed_array.Data() + seed_array.ElementLength());
  if (seeds->empty() || static_cast<std::int64_t>(seeds->size()) > m)
    throw_range(env, "seeds must hold between 1 and m = " + std::to_string(m) + " pair positions, got " +
                         std::to_string(seeds->size()));
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(m), 0);
  for (std::int32_t s : *seeds) {
    if (s < 0 || s >= m)
      throw_range(env, "seed " + std::to_string(s) + " is not a pair position in [0, " + std::to_string(m) + ")");
    if (seen[s]++) throw_range(env, "seeds must be distinct; " + std::to_string(s) + " repeats");
  }
  const std::int64_t iterations = size_argument(info, 5, "iterations", 1);
  const double radius = finite_number(info, 6, "radius");
  if (!(radius > 0)) throw_range(env, "radius must be > 0, got " + std::to_string(radius));
  Napi::Value cancel_holder = env.Undefined();
  const volatile std::int32_t* cancel = cancel_argument(info, 7, &cancel_holder);

  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(m));
  double* sensitivity = out.Data();
  return run(
      env, {features.array, cancel_holder},
      [=]() {
        const arm::CoresetInput in{n, d, pairs->data(), m, static_cast<std::int64_t>(seeds->size()),
                                   seeds->data(), iterations, radius, cancel};
        bool done = true;
        with_features(features, [&](auto* f) { done = arm::coreset_sensitivities(f, in, sensitivity); });
        Outcome outcome;
        if (!done) outcome.code = "ABORT_ERR";
        return outcome;
      },
      resolve_to(out));
}

}  // namespace arm_binding

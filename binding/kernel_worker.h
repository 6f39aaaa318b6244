// The async shell every CPU entry point runs in: the kernel off the JS thread, the promise settled
// on it. Inputs and preallocated outputs are referenced until then, so the garbage collector cannot
// free a buffer the worker is reading or writing.
#pragma once

#include <napi.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace arm_binding {

struct Outcome {
  std::string code;     // empty on success; else an error code the JS side maps to its own errors
  std::string message;  // overrides the code's default message when set
  std::int64_t pivot = -1;
  double pivot_value = 0.0;
};

using Work = std::function<Outcome()>;
using Settle = std::function<Napi::Value(Napi::Env)>;

// Queues `work`; the promise resolves to settle(env), or rejects with an Error carrying `code`.
Napi::Value run(Napi::Env env, const std::vector<Napi::Value>& keep, Work work, Settle settle);

// Resolves to a JS value kept alive (and reachable) until then.
Settle resolve_to(Napi::Value value);

}  // namespace arm_binding

// Argument checks for the exported functions. Everything is checked on the JS thread before a
// worker touches memory; failures throw TypeError (wrong kind) or RangeError (wrong size/value)
// naming the argument. Typed arrays are used in place: a checked view keeps the pointer, and the
// worker holds a reference to the JS object so the buffer outlives the computation.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace arm_binding {

struct FeatureView {
  Napi::TypedArray array;
  const void* data = nullptr;
  bool is_float32 = false;
};

// Calls body(const float*) or body(const double*) with the features' data.
template <class F>
void with_features(const FeatureView& f, F&& body) {
  if (f.is_float32)
    body(static_cast<const float*>(f.data));
  else
    body(static_cast<const double*>(f.data));
}

std::int64_t size_argument(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                           std::int64_t min);
double finite_number(const Napi::CallbackInfo& info, std::size_t index, const char* name);
bool boolean_argument(const Napi::CallbackInfo& info, std::size_t index, const char* name);

FeatureView features_argument(const Napi::CallbackInfo& info, std::size_t index, std::int64_t n,
                              std::int64_t d);
// finite = false leaves non-finite entries to the kernel (Cholesky reports them as a failed pivot,
// as the TypeScript backend does).
Napi::Float64Array float64_argument(const Napi::CallbackInfo& info, std::size_t index,
                                    const char* name, std::int64_t length, bool finite = true);
// Arrays that decide which addresses a kernel touches are copied as they are checked: JS may
// rewrite its array before the promise settles, and an index (or a zero weight) changed after the
// check would send the worker outside its buffers. Values that only change the answer are read in
// place.
template <class T>
using Checked = std::shared_ptr<const std::vector<T>>;
// Pairs (i, j) interleaved with 0 ≤ i < j < n; returns m.
Checked<std::int32_t> pairs_argument(const Napi::CallbackInfo& info, std::size_t index,
                                     std::int64_t n, std::int64_t* m, const char* name = "pairs");
Checked<double> float64_copy(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                             std::int64_t length);
// A resizable ArrayBuffer can shrink (and unmap) while a worker reads it in place.
void require_fixed_length(Napi::Env env, const Napi::TypedArray& array, const char* name);
// A lower-triangular factor with a positive finite diagonal.
Napi::Float64Array factor_argument(const Napi::CallbackInfo& info, std::size_t index,
                                   std::int64_t d);
bool is_missing(const Napi::CallbackInfo& info, std::size_t index);
// An optional Int32Array(≥ 1) that JS sets to 1 to cancel; nullptr when absent. *holder keeps it alive.
const volatile std::int32_t* cancel_argument(const Napi::CallbackInfo& info, std::size_t index,
                                             Napi::Value* holder);
// An optional Int32Array(≥ 1) the kernel writes the picks done into, for JS to poll (a progress
// display); nullptr when absent. *holder keeps it alive.
volatile std::int32_t* progress_argument(const Napi::CallbackInfo& info, std::size_t index, Napi::Value* holder);

// The preamble every entry point over responses shares: features at 0, n at 1, d at 2 (checked for
// type, size and finiteness once per call), and, when pairs_index >= 0, the pairs there (copied
// and checked once). d_name names the dimension in messages (the MLP calls it inputDim).
struct Problem {
  std::int64_t n = 0, d = 0;
  FeatureView features;
  Checked<std::int32_t> pairs;  // null when the entry takes no pairs
  std::int64_t m = 0;
};
Problem problem_arguments(const Napi::CallbackInfo& info, int pairs_index = -1,
                          std::int64_t min_n = 1, const char* d_name = "d");

// Optional labeled pairs and their weights at (index, index + 1), both copied: the Fisher term of
// the pairs already labeled. Absent (undefined or null) pairs mean none.
struct PastArguments {
  Checked<std::int32_t> pairs;
  Checked<double> weights;
  std::int64_t m = 0;
};
PastArguments past_arguments(const Napi::CallbackInfo& info, std::size_t index, std::int64_t n);

// "a Float32Array", "an Array of length 3", "number 4.5", … (as lib/problem/validate.ts describe()).
std::string describe(const Napi::CallbackInfo& info, std::size_t index);

[[noreturn]] void throw_type(Napi::Env env, const std::string& message);
[[noreturn]] void throw_range(Napi::Env env, const std::string& message);

}  // namespace arm_binding

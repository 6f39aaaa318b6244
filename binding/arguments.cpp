#include "arguments.h"

#include <cmath>

namespace arm_binding {

void throw_type(Napi::Env env, const std::string& message) {
  throw Napi::TypeError::New(env, message);
}
void throw_range(Napi::Env env, const std::string& message) {
  throw Napi::RangeError::New(env, message);
}

// What the caller passed, in lib/problem/validate.ts describe()'s words. Reads no properties, so no
// getter of the caller's runs in the middle of a check.
std::string describe(const Napi::CallbackInfo& info, std::size_t index) {
  if (index >= info.Length() || info[index].IsUndefined()) return "undefined";
  const Napi::Value v = info[index];
  if (v.IsNull()) return "null";
  if (v.IsArray()) return "an Array of length " + std::to_string(v.As<Napi::Array>().Length());
  if (v.IsTypedArray()) {
    static const char* const names[] = {"Int8Array",    "Uint8Array",   "Uint8ClampedArray",
                                        "Int16Array",   "Uint16Array",  "Int32Array",
                                        "Uint32Array",  "Float32Array", "Float64Array",
                                        "BigInt64Array", "BigUint64Array"};
    const auto type = static_cast<std::size_t>(v.As<Napi::TypedArray>().TypedArrayType());
    return type < sizeof(names) / sizeof(*names) ? std::string("a ") + names[type] : "a typed array";
  }
  if (v.IsDataView()) return "a DataView";
  if (v.IsArrayBuffer()) return "an ArrayBuffer";
  if (v.IsNumber()) return "number " + v.ToString().Utf8Value();
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? "boolean true" : "boolean false";
  if (v.IsString()) return "a string";
  if (v.IsFunction()) return "a function";
  if (v.IsObject()) return "an object";
  return v.Type() == napi_bigint ? "a BigInt" : "a symbol";
}

bool is_missing(const Napi::CallbackInfo& info, std::size_t index) {
  return index >= info.Length() || info[index].IsUndefined() || info[index].IsNull();
}

std::int64_t size_argument(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                           std::int64_t min) {
  if (index >= info.Length() || !info[index].IsNumber())
    throw_type(info.Env(), std::string(name) + " must be a number; got " + describe(info, index));
  const double v = info[index].As<Napi::Number>().DoubleValue();
  // 2^31 − 1: pair indices and pick positions travel as int32.
  if (!std::isfinite(v) || v != std::floor(v) || v < static_cast<double>(min) || v > 2147483647.0)
    throw_range(info.Env(), std::string(name) + " must be an integer in [" + std::to_string(min) +
                                ", 2147483647], got " + info[index].ToString().Utf8Value());
  return static_cast<std::int64_t>(v);
}

double finite_number(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  if (index >= info.Length() || !info[index].IsNumber())
    throw_type(info.Env(), std::string(name) + " must be a number; got " + describe(info, index));
  const double v = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v)) throw_range(info.Env(), std::string(name) + " must be finite");
  return v;
}

bool boolean_argument(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  if (index >= info.Length() || !info[index].IsBoolean())
    throw_type(info.Env(), std::string(name) + " must be a boolean; got " + describe(info, index));
  return info[index].As<Napi::Boolean>().Value();
}

void require_fixed_length(Napi::Env env, const Napi::TypedArray& array, const char* name) {
  if (array.ArrayBuffer().Get("resizable").ToBoolean().Value())
    throw_type(env, std::string(name) +
                        " must not use a resizable ArrayBuffer (it is read in place while the "
                        "call runs); pass a fixed-length copy such as " + name + ".slice()");
}

template <class T>
static void require_finite(Napi::Env env, const T* data, std::size_t length, const char* name) {
  for (std::size_t e = 0; e < length; ++e)
    if (!std::isfinite(data[e]))
      throw_range(env, std::string(name) + " must be finite (entry " + std::to_string(e) + " is " +
                           (std::isnan(data[e]) ? "NaN" : data[e] > 0 ? "Infinity" : "-Infinity") +
                           "); clean or drop that row upstream");
}

FeatureView features_argument(const Napi::CallbackInfo& info, std::size_t index, std::int64_t n,
                              std::int64_t d) {
  Napi::Env env = info.Env();
  if (index >= info.Length() || !info[index].IsTypedArray())
    throw_type(env, "features must be a Float32Array or Float64Array (row-major); got " +
                        describe(info, index) + ". Convert with Float32Array.from(…)");
  Napi::TypedArray array = info[index].As<Napi::TypedArray>();
  const napi_typedarray_type type = array.TypedArrayType();
  if (type != napi_float32_array && type != napi_float64_array)
    throw_type(env, "features must be a Float32Array or Float64Array (row-major); got " +
                        describe(info, index) + ". Convert with Float32Array.from(…)");
  const std::size_t expected = static_cast<std::size_t>(n) * static_cast<std::size_t>(d);
  if (array.ElementLength() != expected)
    throw_range(env, "features must have n*d = " + std::to_string(expected) +
                         " entries, got " + std::to_string(array.ElementLength()));
  require_fixed_length(env, array, "features");
  FeatureView view{array};
  view.is_float32 = type == napi_float32_array;
  if (view.is_float32) {
    const float* p = array.As<Napi::Float32Array>().Data();
    require_finite(env, p, expected, "features");
    view.data = p;
  } else {
    const double* p = array.As<Napi::Float64Array>().Data();
    require_finite(env, p, expected, "features");
    view.data = p;
  }
  return view;
}

Napi::Float64Array float64_argument(const Napi::CallbackInfo& info, std::size_t index,
                                    const char* name, std::int64_t length, bool finite) {
  Napi::Env env = info.Env();
  if (index >= info.Length() || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw_type(env, std::string(name) + " must be a Float64Array; got " + describe(info, index) +
                        ". Convert with Float64Array.from(…)");
  Napi::Float64Array array = info[index].As<Napi::Float64Array>();
  require_fixed_length(env, array, name);
  if (array.ElementLength() != static_cast<std::size_t>(length))
    throw_range(env, std::string(name) + " must have " + std::to_string(length) +
                         " entries, got " + std::to_string(array.ElementLength()));
  if (finite) require_finite(env, array.Data(), array.ElementLength(), name);
  return array;
}

Checked<std::int32_t> pairs_argument(const Napi::CallbackInfo& info, std::size_t index,
                                     std::int64_t n, std::int64_t* m, const char* name) {
  Napi::Env env = info.Env();
  if (index >= info.Length() || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw_type(env, std::string(name) + " must be an Int32Array (i, j interleaved); got " + describe(info, index) +
                        ". Convert with Int32Array.from(…)");
  Napi::Int32Array array = info[index].As<Napi::Int32Array>();
  const std::size_t length = array.ElementLength();
  if (length % 2 != 0)
    throw_range(env, std::string(name) + " must hold (i, j) pairs: even length, got " + std::to_string(length));
  const std::int32_t* p = array.Data();
  auto copy = std::make_shared<std::vector<std::int32_t>>(p, p + length);
  const std::int32_t* c = copy->data();
  for (std::size_t e = 0; e < length; e += 2)
    if (c[e] < 0 || c[e] >= c[e + 1] || c[e + 1] >= n)
      throw_range(env, (std::string(name) == "pairs" ? "" : std::string(name) + ": ") + "pair " +
                           std::to_string(e / 2) + " = (" + std::to_string(c[e]) + ", " +
                           std::to_string(c[e + 1]) + ") must satisfy 0 <= i < j < n = " +
                           std::to_string(n) + "; order each pair i < j and drop out-of-range or self pairs");
  *m = static_cast<std::int64_t>(length / 2);
  return copy;
}

Checked<double> float64_copy(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                             std::int64_t length) {
  Napi::Float64Array array = float64_argument(info, index, name, length);
  const double* p = array.Data();
  return std::make_shared<std::vector<double>>(p, p + array.ElementLength());
}

Napi::Float64Array factor_argument(const Napi::CallbackInfo& info, std::size_t index,
                                   std::int64_t d) {
  Napi::Float64Array factor = float64_argument(info, index, "factor", d * d);
  const double* L = factor.Data();
  for (std::int64_t i = 0; i < d; ++i)
    if (!(L[i * d + i] > 0.0))
      throw_range(info.Env(), "factor must have a positive diagonal (entry " + std::to_string(i) +
                                  " is not); pass the factor cholesky() returned");
  return factor;
}

namespace {

// Both flags are one int32 slot shared with a worker thread: a fixed-length Int32Array(≥ 1).
std::int32_t* shared_slot(const Napi::CallbackInfo& info, std::size_t index, Napi::Value* holder, const char* name) {
  if (is_missing(info, index)) return nullptr;
  if (!info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      info[index].As<Napi::Int32Array>().ElementLength() < 1)
    throw_type(info.Env(), std::string(name) + " must be an Int32Array of length >= 1; got " + describe(info, index));
  require_fixed_length(info.Env(), info[index].As<Napi::TypedArray>(), name);
  *holder = info[index];
  return info[index].As<Napi::Int32Array>().Data();
}

}  // namespace

const volatile std::int32_t* cancel_argument(const Napi::CallbackInfo& info, std::size_t index,
                                             Napi::Value* holder) {
  return shared_slot(info, index, holder, "cancel");
}

volatile std::int32_t* progress_argument(const Napi::CallbackInfo& info, std::size_t index, Napi::Value* holder) {
  return shared_slot(info, index, holder, "progress");
}

Problem problem_arguments(const Napi::CallbackInfo& info, int pairs_index, std::int64_t min_n,
                          const char* d_name) {
  Problem p;
  p.n = size_argument(info, 1, "n", min_n);
  p.d = size_argument(info, 2, d_name, 1);
  p.features = features_argument(info, 0, p.n, p.d);
  if (pairs_index >= 0) p.pairs = pairs_argument(info, static_cast<std::size_t>(pairs_index), p.n, &p.m);
  return p;
}

PastArguments past_arguments(const Napi::CallbackInfo& info, std::size_t index, std::int64_t n) {
  PastArguments past;
  if (is_missing(info, index)) {
    if (!is_missing(info, index + 1))
      throw_type(info.Env(), "pastWeights were given without pastPairs; pass both or neither");
    past.pairs = std::make_shared<const std::vector<std::int32_t>>();
    past.weights = std::make_shared<const std::vector<double>>();
    return past;
  }
  past.pairs = pairs_argument(info, index, n, &past.m, "pastPairs");
  past.weights = float64_copy(info, index + 1, "pastWeights", past.m);
  return past;
}

}  // namespace arm_binding

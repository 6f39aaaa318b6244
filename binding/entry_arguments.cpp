#include "entry_arguments.h"

#include <cstring>
#include <string>

namespace arm_binding {

InformationCall information_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  InformationCall c;
  c.p = problem_arguments(info, 3);
  c.weights = float64_copy(info, 4, "weights", c.p.m);
  c.ridge = finite_number(info, 5, "ridge");
  c.base_value = env.Undefined();
  if (!is_missing(info, 6)) {
    c.base = float64_argument(info, 6, "base", c.p.d * c.p.d).Data();
    c.base_value = info[6];
  }
  c.out = Napi::Float64Array::New(env, static_cast<std::size_t>(c.p.d * c.p.d));
  return c;
}

CholeskyCall cholesky_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CholeskyCall c;
  c.d = size_argument(info, 1, "d", 1);
  c.M = float64_argument(info, 0, "M", c.d * c.d, false);
  c.factor = Napi::Float64Array::New(env, static_cast<std::size_t>(c.d * c.d));
  c.log_det = std::make_shared<double>(0.0);
  auto factor_ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(Napi::Object(c.factor)));
  auto log_det = c.log_det;
  c.settle = [factor_ref, log_det](Napi::Env e) -> Napi::Value {
    Napi::Object result = Napi::Object::New(e);
    result.Set("factor", factor_ref->Value());
    result.Set("logDet", Napi::Number::New(e, *log_det));
    return result;
  };
  return c;
}

FactoredCall factored_call(const Napi::CallbackInfo& info, int pairs_index, std::int64_t min_n) {
  FactoredCall c;
  Problem p = problem_arguments(info, -1, min_n);
  c.factor = factor_argument(info, 3, p.d);
  if (pairs_index >= 0) p.pairs = pairs_argument(info, static_cast<std::size_t>(pairs_index), p.n, &p.m);
  c.p = p;
  return c;
}

GreedyCall greedy_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GreedyCall c;
  FactoredCall f = factored_call(info, 4);
  c.p = f.p;
  c.factor = f.factor;
  c.lambdas = float64_argument(info, 5, "lambdas", c.p.m);
  c.L = c.factor.Data();
  c.lambda_data = c.lambdas.Data();
  c.k = size_argument(info, 6, "k", 0);
  if (c.k > c.p.m)
    throw_range(env, "k must be at most the number of pairs (" + std::to_string(c.p.m) + "), got " +
                         std::to_string(c.k));
  c.lazy = boolean_argument(info, 7, "lazy");
  c.cancel_holder = env.Undefined();
  c.cancel = cancel_argument(info, 8, &c.cancel_holder);
  c.progress_holder = env.Undefined();
  c.progress = progress_argument(info, 9, &c.progress_holder);
  Napi::Int32Array picks = Napi::Int32Array::New(env, static_cast<std::size_t>(c.k));
  Napi::Float64Array quadratic = Napi::Float64Array::New(env, static_cast<std::size_t>(c.k));
  c.picks = picks.Data();
  c.quadratic = quadratic.Data();
  c.result = Napi::Object::New(env);
  c.result.Set("picks", picks);
  c.result.Set("quadratic", quadratic);
  return c;
}

}  // namespace arm_binding

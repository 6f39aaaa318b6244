#include "mlp_worker.h"

#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "active_rm/active_rm.h"
#include "arguments.h"
#include "kernel_worker.h"

namespace arm_binding {

namespace {

// Parameters and Adam state are copied into fresh arrays on the JS thread, so the worker never
// writes memory JS can see before the promise resolves (kernel_worker.h holds what is read in place).
Napi::Value run_mlp(Napi::Env env, const std::vector<Napi::Value>& read_in_place,
                    std::function<std::string()> work, Settle settle) {
  return run(env, read_in_place, [work = std::move(work)]() {
    Outcome outcome;
    outcome.code = work();
    return outcome;
  }, std::move(settle));
}

// A JS value the settle step hands back, referenced until then.
std::shared_ptr<Napi::ObjectReference> hold(Napi::Value value) {
  return std::make_shared<Napi::ObjectReference>(Napi::Persistent(value.As<Napi::Object>()));
}

// (features, n, inputDim, width, params): the network every MLP call starts with.
struct Network {
  std::int64_t n = 0;
  arm::MlpShape shape{};
  std::int64_t count = 0;
  FeatureView features;
  Napi::Float64Array params;
};

Network network_arguments(const Napi::CallbackInfo& info) {
  Network net;
  const Problem p = problem_arguments(info, -1, 1, "inputDim");
  net.n = p.n;
  net.shape.input_dim = p.d;
  net.shape.width = size_argument(info, 3, "width", 1);
  net.features = p.features;
  // In double, so that a huge width cannot wrap around to some array's length.
  const double d0 = static_cast<double>(net.shape.input_dim), h = static_cast<double>(net.shape.width);
  const double count = h * d0 + 2 * h * h + 4 * h;
  if (count > 4294967296.0)
    throw_range(info.Env(), "width " + std::to_string(net.shape.width) + " and inputDim " +
                                std::to_string(net.shape.input_dim) +
                                " give more parameters than a Float64Array holds; use a smaller width");
  net.params = float64_argument(info, 4, "params", static_cast<std::int64_t>(count));
  net.count = static_cast<std::int64_t>(count);
  return net;
}

// Labeled pairs (i, j) of rows, either order (label 1 = i preferred), copied as checked.
Checked<std::int32_t> labeled_pairs(const Napi::CallbackInfo& info, std::size_t index,
                                    std::int64_t n, std::int64_t* m) {
  Napi::Env env = info.Env();
  if (index >= info.Length() || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw_type(env, "pairs must be an Int32Array (i, j interleaved); got " + describe(info, index) +
                        ". Convert with Int32Array.from(…)");
  Napi::Int32Array array = info[index].As<Napi::Int32Array>();
  require_fixed_length(env, array, "pairs");
  const std::size_t length = array.ElementLength();
  if (length == 0 || length % 2 != 0)
    throw_range(env, "pairs must hold at least one (i, j) pair: even length > 0, got " +
                         std::to_string(length));
  auto copy = std::make_shared<std::vector<std::int32_t>>(array.Data(), array.Data() + length);
  for (std::size_t e = 0; e < length; ++e)
    if ((*copy)[e] < 0 || (*copy)[e] >= n)
      throw_range(env, "pairs[" + std::to_string(e) + "] = " + std::to_string((*copy)[e]) +
                           " must be a row of features, in [0, n = " + std::to_string(n) + ")");
  *m = static_cast<std::int64_t>(length / 2);
  return copy;
}

}  // namespace

Napi::Value MlpForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Network net = network_arguments(info);
  const Checked<double> params = float64_copy(info, 4, "params", net.count);
  Napi::Float64Array phi = Napi::Float64Array::New(env, static_cast<std::size_t>(net.n * net.shape.width));
  Napi::Float64Array rewards = Napi::Float64Array::New(env, static_cast<std::size_t>(net.n));
  Napi::Object result = Napi::Object::New(env);
  result.Set("phi", phi);
  result.Set("rewards", rewards);
  double* phi_data = phi.Data();
  double* r_data = rewards.Data();
  auto held = hold(result);
  return run_mlp(
      env, {net.features.array},
      [=]() {
        with_features(net.features, [&](auto* x) {
          arm::mlp_forward(net.shape, params->data(), x, net.n, phi_data, r_data);
        });
        return std::string();
      },
      [held](Napi::Env) { return held->Value(); });
}

Napi::Value MlpGradient(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Network net = network_arguments(info);
  const Checked<double> params = float64_copy(info, 4, "params", net.count);
  std::int64_t m = 0;
  const Checked<std::int32_t> pairs = labeled_pairs(info, 5, net.n, &m);
  const Checked<double> labels = float64_copy(info, 6, "labels", m);
  Napi::Float64Array grad = Napi::Float64Array::New(env, static_cast<std::size_t>(net.count));
  double* grad_data = grad.Data();
  auto held = hold(grad);
  auto loss = std::make_shared<double>(0.0);
  return run_mlp(
      env, {net.features.array},
      [=]() {
        std::vector<std::int32_t> all(static_cast<std::size_t>(m));
        for (std::int64_t p = 0; p < m; ++p) all[p] = static_cast<std::int32_t>(p);
        with_features(net.features, [&](auto* x) {
          *loss = arm::mlp_loss_gradient(net.shape, params->data(), x, pairs->data(),
                                         labels->data(), all.data(), m, grad_data);
        });
        return std::string();
      },
      [held, loss](Napi::Env e) -> Napi::Value {
        Napi::Object result = Napi::Object::New(e);
        result.Set("loss", Napi::Number::New(e, *loss));
        result.Set("grad", held->Value());
        return result;
      });
}

Napi::Value MlpTrain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Network net = network_arguments(info);
  Napi::Float64Array adam_m = float64_argument(info, 5, "adamM", net.count);
  Napi::Float64Array adam_v = float64_argument(info, 6, "adamV", net.count);
  const std::int64_t steps = size_argument(info, 7, "steps", 0);
  std::int64_t m = 0;
  const Checked<std::int32_t> pairs = labeled_pairs(info, 8, net.n, &m);
  const Checked<double> labels = float64_copy(info, 9, "labels", m);
  const std::int64_t epochs = size_argument(info, 11, "epochs", 1);
  if (info.Length() <= 10 || !info[10].IsTypedArray() ||
      info[10].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw_type(env, "order must be an Int32Array (each epoch's pair indices); got " +
                        describe(info, 10));
  Napi::Int32Array order_array = info[10].As<Napi::Int32Array>();
  require_fixed_length(env, order_array, "order");
  if (static_cast<double>(order_array.ElementLength()) != static_cast<double>(epochs) * m)
    throw_range(env, "order must have epochs·m = " + std::to_string(epochs) + "·" +
                         std::to_string(m) + " entries (one permutation of the pairs per epoch), got " +
                         std::to_string(order_array.ElementLength()));
  const std::int32_t* o = order_array.Data();
  auto order = std::make_shared<const std::vector<std::int32_t>>(o, o + order_array.ElementLength());
  for (std::size_t e = 0; e < order->size(); ++e)
    if ((*order)[e] < 0 || (*order)[e] >= m)
      throw_range(env, "order[" + std::to_string(e) + "] = " + std::to_string((*order)[e]) +
                           " must be a pair index in [0, m = " + std::to_string(m) + ")");
  const std::int64_t batch_size = size_argument(info, 12, "batchSize", 1);
  const double lr = finite_number(info, 13, "lr");
  if (!(lr > 0)) throw_range(env, "lr must be > 0, got " + std::to_string(lr));
  const double weight_decay = finite_number(info, 14, "weightDecay");
  if (!(weight_decay >= 0))
    throw_range(env, "weightDecay must be >= 0, got " + std::to_string(weight_decay));
  Napi::Value cancel_holder = env.Undefined();
  const volatile std::int32_t* cancel = cancel_argument(info, 15, &cancel_holder);

  // The state the worker updates: fresh copies, handed to JS only when the promise resolves.
  const auto copy = [&](const Napi::Float64Array& from) {
    Napi::Float64Array to = Napi::Float64Array::New(env, static_cast<std::size_t>(net.count));
    std::memcpy(to.Data(), from.Data(), static_cast<std::size_t>(net.count) * sizeof(double));
    return to;
  };
  Napi::Float64Array out_params = copy(net.params), out_m = copy(adam_m), out_v = copy(adam_v);
  Napi::Float64Array losses = Napi::Float64Array::New(env, static_cast<std::size_t>(epochs));
  Napi::Object result = Napi::Object::New(env);
  result.Set("params", out_params);
  result.Set("adamM", out_m);
  result.Set("adamV", out_v);
  result.Set("losses", losses);
  auto held = hold(result);
  auto state = std::make_shared<arm::MlpState>(
      arm::MlpState{out_params.Data(), out_m.Data(), out_v.Data(), steps});
  double* loss_data = losses.Data();
  const arm::MlpTrainInput in{pairs->data(), labels->data(), m, order->data(), epochs,
                              batch_size, lr, weight_decay, cancel};
  return run_mlp(
      env, {net.features.array, cancel_holder},
      [=]() {
        // pairs, labels and order are owned by the captured shared_ptrs.
        (void)pairs, (void)labels, (void)order;
        arm::MlpStatus status = arm::MlpStatus::done;
        with_features(net.features,
                      [&](auto* x) { status = arm::mlp_train(net.shape, x, in, *state, loss_data); });
        return status == arm::MlpStatus::cancelled ? std::string("ABORT_ERR") : std::string();
      },
      [held, state](Napi::Env e) -> Napi::Value {
        Napi::Object r = held->Value();
        r.Set("steps", Napi::Number::New(e, static_cast<double>(state->steps)));
        return r;
      });
}

}  // namespace arm_binding

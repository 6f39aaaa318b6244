// The paper's MLP reward model (lib/train/mlp.ts is the reference): input → 3 hidden GELU layers
// (tanh form) → bias-free linear head, Bradley–Terry BCE on σ(r_i − r_j), Adam with weight decay
// added to the gradient. Parameters live in one buffer in the TypeScript layout:
// W1 (h×d) b1 (h) W2 (h×h) b2 (h) W3 (h×h) b3 (h) head (h), weights row-major (output × input).
//
// Every sum runs in the TypeScript code's order (forward: bias, then inputs ascending; weight
// gradients: batch rows ascending; input gradients: outputs ascending) and each output element is
// summed by one thread, so results do not depend on the thread count and match the TypeScript
// trainer up to the last-ulp differences of tanh/exp/log1p/pow between libm and V8.
#pragma once

#include <cstdint>

namespace arm {

struct MlpShape {
  std::int64_t input_dim;
  std::int64_t width;
};

std::int64_t mlp_param_count(const MlpShape& shape);

// φ (n×h, the last hidden layer; may be null) and rewards r = φ·head (n; may be null) for n rows of x.
template <class T>
void mlp_forward(const MlpShape& shape, const double* params, const T* x, std::int64_t n,
                 double* phi, double* rewards);

// Mean BCE over `count` pairs (indices into pairs/labels) and its gradient, weight decay not
// included (lossAndGradient in TypeScript). grad has mlp_param_count entries and is overwritten.
template <class T>
double mlp_loss_gradient(const MlpShape& shape, const double* params, const T* features,
                         const std::int32_t* pairs, const double* labels,
                         const std::int32_t* batch, std::int64_t count, double* grad);

struct MlpTrainInput {
  const std::int32_t* pairs;  // 2m row indices into features
  const double* labels;       // m
  std::int64_t m;
  // epochs × m pair indices: each epoch's order (TypeScript shuffles with its seeded Rng, so both
  // paths see the same batches). An epoch's batches are its consecutive runs of batch_size.
  const std::int32_t* order;
  std::int64_t epochs;
  std::int64_t batch_size;
  double lr;
  double weight_decay;
  const volatile std::int32_t* cancel;  // checked between batches; may be null
};

struct MlpState {
  double* params;
  double* adam_m;
  double* adam_v;
  std::int64_t steps;  // Adam steps so far (bias correction)
};

enum class MlpStatus { done, cancelled };

// Adam over every batch of every epoch; epoch_loss[e] = mean BCE of epoch e's batches (each taken
// before its step). On cancel, state holds the batches done so far.
template <class T>
MlpStatus mlp_train(const MlpShape& shape, const T* features, const MlpTrainInput& in,
                    MlpState& state, double* epoch_loss);

}  // namespace arm

#include "train/mlp.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "linalg/isa.h"
#include "linalg/thread_pool.h"

namespace arm {

namespace {

using i64 = std::int64_t;
typedef double v4d __attribute__((vector_size(32)));

// Written exactly as lib/train/mlp.ts so that both evaluate the same operations in the same order.
const double kC = std::sqrt(2 / 3.141592653589793);
inline double gelu(double z) { return 0.5 * z * (1 + std::tanh(kC * (z + 0.044715 * z * z * z))); }
inline double gelu_grad(double z) {
  const double t = std::tanh(kC * (z + 0.044715 * z * z * z));
  return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * kC * (1 + 3 * 0.044715 * z * z);
}
inline double sigmoid(double x) {
  if (x >= 0) return 1 / (1 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1 + e);
}
inline double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

// C(i, j) = init(j) + Σ_k A(i, k)·B(k, j), k ascending, init = 0 when null. A(i, k) =
// a[i·a_rs + k·a_cs]; B row-major (ldb); C row-major (ldc).
struct Product {
  const double* a;
  i64 a_rs, a_cs;
  const double* b;
  i64 ldb;
  const double* init;
  double* c;
  i64 ldc, N, K;
};

inline v4d load4(const double* p) {
  v4d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(double* p, v4d v) { std::memcpy(p, &v, sizeof v); }

// R rows × 8 columns held in registers. Multiplies and adds stay separate (no FMA on the targets
// below), so every element rounds as the scalar TypeScript loop does.
template <int R>
__attribute__((always_inline)) inline void tile(const Product& p, i64 i, i64 j) {
  v4d acc[R][2];
  for (int r = 0; r < R; ++r)
    for (int h = 0; h < 2; ++h) acc[r][h] = p.init ? load4(p.init + j + 4 * h) : v4d{0, 0, 0, 0};
  for (i64 k = 0; k < p.K; ++k) {
    const v4d b0 = load4(p.b + k * p.ldb + j);
    const v4d b1 = load4(p.b + k * p.ldb + j + 4);
    for (int r = 0; r < R; ++r) {
      const double a = p.a[(i + r) * p.a_rs + k * p.a_cs];
      const v4d av = {a, a, a, a};
      acc[r][0] += av * b0;
      acc[r][1] += av * b1;
    }
  }
  for (int r = 0; r < R; ++r)
    for (int h = 0; h < 2; ++h) store4(p.c + (i + r) * p.ldc + j + 4 * h, acc[r][h]);
}

// No "avx512f" clone: GCC's AVX-512 target implies FMA, which would contract the multiply-adds.
ACTIVE_RM_CLONES_AVX2 void product_rows(const Product& p, i64 r0,
                                                                    i64 r1) {
  for (i64 i = r0; i < r1;) {
    const i64 rows = r1 - i >= 4 ? 4 : 1;
    i64 j = 0;
    for (; j + 8 <= p.N; j += 8) rows == 4 ? tile<4>(p, i, j) : tile<1>(p, i, j);
    for (; j < p.N; ++j)
      for (i64 r = 0; r < rows; ++r) {
        double s = p.init ? p.init[j] : 0.0;
        for (i64 k = 0; k < p.K; ++k) s += p.a[(i + r) * p.a_rs + k * p.a_cs] * p.b[k * p.ldb + j];
        p.c[(i + r) * p.ldc + j] = s;
      }
    i += rows;
  }
}

// Rows of C in blocks across the pool; `then(r0, r1)` post-processes a block on the same thread.
// Each element is computed by one task in a fixed order: the result never depends on threads.
template <class Then>
void product(const Product& p, i64 M, Then then) {
  const double work = static_cast<double>(M) * static_cast<double>(p.N) * static_cast<double>(p.K);
  const i64 blocks = (M + 3) / 4;
  const i64 tasks = std::max<i64>(1, std::min<i64>({blocks, static_cast<i64>(work / (1 << 17)),
                                                    static_cast<i64>(8 * worker_count())}));
  const i64 per = 4 * ((blocks + tasks - 1) / tasks);
  const auto run = [&](std::size_t t) {
    const i64 r0 = static_cast<i64>(t) * per, r1 = std::min(M, r0 + per);
    if (r0 >= r1) return;
    product_rows(p, r0, r1);
    then(r0, r1);
  };
  if (tasks == 1)
    run(0);
  else
    parallel_for(static_cast<std::size_t>(tasks), run);
}
void product(const Product& p, i64 M) {
  product(p, M, [](i64, i64) {});
}

// body(begin, end) over [0, count) in chunks of at least `grain` across the pool, for elementwise
// steps (every element written by one chunk: deterministic).
template <class Body>
void chunked(i64 count, i64 grain, Body body) {
  const i64 tasks = std::max<i64>(1, std::min<i64>(count / grain, 4 * worker_count()));
  const i64 per = (count + tasks - 1) / tasks;
  if (tasks == 1) return body(0, count);
  parallel_for(static_cast<std::size_t>(tasks), [&](std::size_t t) {
    const i64 b = static_cast<i64>(t) * per;
    if (b < count) body(b, std::min(count, b + per));
  });
}

struct Layer {
  i64 w, b, in;
};

struct Net {
  i64 d0, h, head, count;
  Layer layers[3];
  explicit Net(const MlpShape& s) : d0(s.input_dim), h(s.width) {
    i64 off = 0;
    const i64 ins[3] = {d0, h, h};
    for (int l = 0; l < 3; ++l) {
      layers[l] = {off, off + h * ins[l], ins[l]};
      off += h * ins[l] + h;
    }
    head = off;
    count = off + h;
  }
};

// Activations of one forward pass, kept for the backward pass. A[l] is layer l's input (A[0] the
// gathered rows), Z[l] its pre-activation.
struct Work {
  std::vector<double> A[4], Z[3], dA, dZ, Wt, r, dr;
  void ensure(const Net& net, i64 rows) {
    const auto size = [](std::vector<double>& v, i64 length) {
      if (static_cast<i64>(v.size()) < length) v.resize(static_cast<std::size_t>(length));
    };
    size(A[0], rows * net.d0);
    for (int l = 0; l < 3; ++l) size(A[l + 1], rows * net.h), size(Z[l], rows * net.h);
    size(dA, rows * net.h), size(dZ, rows * net.h);
    size(Wt, net.h * std::max(net.d0, net.h)), size(r, rows), size(dr, rows);
  }
};

void forward(const Net& net, const double* P, i64 rows, Work& w) {
  const i64 h = net.h;
  for (int l = 0; l < 3; ++l) {
    const Layer& L = net.layers[l];
    // W is output × input; the product wants input × output so that outputs are contiguous.
    // In 16×16 tiles, so that neither side walks memory with a stride.
    double* Wt = w.Wt.data();
    chunked((h + 15) / 16, 4, [&](i64 b0, i64 b1) {
      for (i64 o0 = 16 * b0; o0 < std::min(h, 16 * b1); o0 += 16)
        for (i64 k0 = 0; k0 < L.in; k0 += 16)
          for (i64 o = o0; o < std::min(h, o0 + 16); ++o)
            for (i64 k = k0; k < std::min(L.in, k0 + 16); ++k) Wt[k * h + o] = P[L.w + o * L.in + k];
    });
    double* Z = w.Z[l].data();
    double* A = w.A[l + 1].data();
    product({w.A[l].data(), L.in, 1, w.Wt.data(), h, P + L.b, Z, h, h, L.in}, rows,
            [&](i64 r0, i64 r1) {
              for (i64 e = r0 * h; e < r1 * h; ++e) A[e] = gelu(Z[e]);
            });
  }
  product({w.A[3].data(), h, 1, P + net.head, 1, nullptr, w.r.data(), 1, 1, h}, rows);
}

template <class T>
void gather(const Net& net, const T* features, const std::int32_t* pairs, const std::int32_t* batch,
            i64 nb, Work& w) {
  // Rows 0..nb-1 are the pairs' i sides, nb..2nb-1 their j sides (as in TypeScript).
  const i64 d0 = net.d0;
  double* X = w.A[0].data();
  for (i64 t = 0; t < nb; ++t) {
    const i64 p = batch[t];
    const T* si = features + static_cast<i64>(pairs[2 * p]) * d0;
    const T* sj = features + static_cast<i64>(pairs[2 * p + 1]) * d0;
    for (i64 k = 0; k < d0; ++k) {
      X[t * d0 + k] = static_cast<double>(si[k]);
      X[(nb + t) * d0 + k] = static_cast<double>(sj[k]);
    }
  }
}

// Mean BCE of the batch; writes its gradient into grad (every entry).
template <class T>
double batch_step(const Net& net, const double* P, const T* features, const std::int32_t* pairs,
                  const double* labels, const std::int32_t* batch, i64 nb, Work& w, double* grad) {
  const i64 rows = 2 * nb, h = net.h;
  w.ensure(net, rows);
  gather(net, features, pairs, batch, nb, w);
  forward(net, P, rows, w);
  double loss = 0;
  for (i64 t = 0; t < nb; ++t) {
    const double y = labels[batch[t]];
    const double mgn = w.r[t] - w.r[nb + t];
    loss += softplus(mgn) - y * mgn;
    const double g = (sigmoid(mgn) - y) / nb;
    w.dr[t] = g;
    w.dr[nb + t] = -g;
  }
  product({w.dr.data(), 0, 1, w.A[3].data(), h, nullptr, grad + net.head, h, h, rows}, 1);
  double* dA = w.dA.data();
  for (i64 i = 0; i < rows; ++i)
    for (i64 o = 0; o < h; ++o) dA[i * h + o] = w.dr[i] * P[net.head + o];
  double* dZ = w.dZ.data();
  for (int l = 2; l >= 0; --l) {
    const Layer& L = net.layers[l];
    const double* Z = w.Z[l].data();
    chunked(rows * h, 4096, [&](i64 b, i64 e) {
      for (; b < e; ++b) dZ[b] = dA[b] * gelu_grad(Z[b]);
    });
    double* gb = grad + L.b;
    std::fill(gb, gb + h, 0.0);
    for (i64 i = 0; i < rows; ++i)
      for (i64 o = 0; o < h; ++o) gb[o] += dZ[i * h + o];
    // ∂W[o, k] = Σ_i dZ[i, o] X[i, k]: split by o, batch rows summed in order.
    product({dZ, 1, h, w.A[l].data(), L.in, nullptr, grad + L.w, L.in, L.in, rows}, h);
    if (l == 0) break;
    // dA for the layer below: dA[i, k] = Σ_o dZ[i, o] W[o, k], split by i.
    product({dZ, h, 1, P + L.w, L.in, nullptr, dA, L.in, L.in, h}, rows);
  }
  return loss / nb;
}

void adam(const Net& net, const double* grad, double lr, double weight_decay, MlpState& s) {
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  ++s.steps;
  const double c1 = 1 - std::pow(b1, static_cast<double>(s.steps));
  const double c2 = 1 - std::pow(b2, static_cast<double>(s.steps));
  double *params = s.params, *m = s.adam_m, *v = s.adam_v;
  chunked(net.count, 1 << 14, [&](i64 begin, i64 end) {
    for (i64 t = begin; t < end; ++t) {
      const double g = grad[t] + weight_decay * params[t];
      m[t] = b1 * m[t] + (1 - b1) * g;
      v[t] = b2 * v[t] + (1 - b2) * g * g;
      params[t] -= (lr * (m[t] / c1)) / (std::sqrt(v[t] / c2) + eps);
    }
  });
}

}  // namespace

std::int64_t mlp_param_count(const MlpShape& shape) { return Net(shape).count; }

template <class T>
void mlp_forward(const MlpShape& shape, const double* params, const T* x, std::int64_t n,
                 double* phi, double* rewards) {
  const Net net(shape);
  Work w;
  // Rows are independent: chunks bound the activation memory and change no result.
  const i64 chunk = 512;
  for (i64 r0 = 0; r0 < n; r0 += chunk) {
    const i64 rows = std::min(chunk, n - r0);
    w.ensure(net, rows);
    for (i64 e = 0; e < rows * net.d0; ++e) w.A[0][e] = static_cast<double>(x[r0 * net.d0 + e]);
    forward(net, params, rows, w);
    if (phi) std::copy(w.A[3].begin(), w.A[3].begin() + rows * net.h, phi + r0 * net.h);
    if (rewards) std::copy(w.r.begin(), w.r.begin() + rows, rewards + r0);
  }
}

template <class T>
double mlp_loss_gradient(const MlpShape& shape, const double* params, const T* features,
                         const std::int32_t* pairs, const double* labels,
                         const std::int32_t* batch, std::int64_t count, double* grad) {
  const Net net(shape);
  Work w;
  return batch_step(net, params, features, pairs, labels, batch, count, w, grad);
}

template <class T>
MlpStatus mlp_train(const MlpShape& shape, const T* features, const MlpTrainInput& in,
                    MlpState& state, double* epoch_loss) {
  const Net net(shape);
  Work w;
  std::vector<double> grad(static_cast<std::size_t>(net.count));
  const i64 m = in.m;
  for (i64 e = 0; e < in.epochs; ++e) {
    const std::int32_t* order = in.order + e * m;
    double total = 0;
    for (i64 s = 0; s < m; s += in.batch_size) {
      if (in.cancel && *in.cancel) return MlpStatus::cancelled;
      const i64 nb = std::min(m, s + in.batch_size) - s;
      total += batch_step(net, state.params, features, in.pairs, in.labels, order + s, nb, w,
                          grad.data()) * nb;
      adam(net, grad.data(), in.lr, in.weight_decay, state);
    }
    epoch_loss[e] = total / m;
  }
  return MlpStatus::done;
}

#define ARM_MLP(T)                                                                               \
  template void mlp_forward<T>(const MlpShape&, const double*, const T*, std::int64_t, double*,  \
                               double*);                                                         \
  template double mlp_loss_gradient<T>(const MlpShape&, const double*, const T*,                 \
                                       const std::int32_t*, const double*, const std::int32_t*, \
                                       std::int64_t, double*);                                   \
  template MlpStatus mlp_train<T>(const MlpShape&, const T*, const MlpTrainInput&, MlpState&,    \
                                  double*);
ARM_MLP(float)
ARM_MLP(double)
#undef ARM_MLP

}  // namespace arm

#include "rules/batchbald.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "linalg/thread_pool.h"

namespace arm {

namespace {

inline double xlogx(double x) { return x > 0 ? x * std::log(x) : 0; }

// P[c, s] = p(y_B = c | w_s) up to a per-row scale exp(log_scale[c]).
class Configurations {
 public:
  Configurations(const BatchBaldInput& in) : in_(in), S_(in.S), P_(static_cast<std::size_t>(in.S), 1.0), log_scale_(1, 0.0) {}

  double entropy() const {
    double h = 0;
    for (std::int64_t c = 0; c < count_; ++c) {
      const double scaled = row_mass(c);
      const double logp = std::log(scaled) + log_scale_[c];
      if (exact_) h -= scaled * std::exp(log_scale_[c]) * logp;
      else h -= logp / static_cast<double>(count_);
    }
    return h;
  }

  // H(y_B, y_x) for the candidate whose probabilities start at p.
  double entropy_with(const double* p) const {
    double h = 0;
    for (std::int64_t c = 0; c < count_; ++c) {
      const double* row = P_.data() + c * S_;
      double a1 = 0, total = 0;
      for (std::int64_t s = 0; s < S_; ++s) {
        total += row[s];
        a1 += row[s] * p[s];
      }
      const double a0 = total - a1;
      const double ls = log_scale_[c];
      if (exact_) {
        const double scale = std::exp(ls) / static_cast<double>(S_);
        h -= xlogx(a1 * scale) + xlogx(a0 * scale);
      } else if (total > 0) {
        const double q1 = a1 / total, q0 = a0 / total;
        const double base = ls - std::log(static_cast<double>(S_));
        h -= (q1 > 0 ? q1 * (std::log(a1) + base) : 0) + (q0 > 0 ? q0 * (std::log(a0) + base) : 0);
      }
    }
    return exact_ ? h : h / static_cast<double>(count_);
  }

  // Adds the picked pair's label to every configuration; false when the draws ran out.
  bool add(const double* p) {
    if (exact_ && count_ * 2 <= in_.configurations) {
      std::vector<double> P(static_cast<std::size_t>(count_ * 2 * S_)), ls(static_cast<std::size_t>(count_ * 2));
      for (std::int64_t c = 0; c < count_; ++c) {
        for (std::int64_t s = 0; s < S_; ++s) {
          const double pc = P_[c * S_ + s];
          P[2 * c * S_ + s] = pc * p[s];
          P[(2 * c + 1) * S_ + s] = pc * (1 - p[s]);
        }
        ls[2 * c] = ls[2 * c + 1] = log_scale_[c];
      }
      P_.swap(P);
      log_scale_.swap(ls);
      count_ *= 2;
      rescale();
      return true;
    }
    if (exact_ && !resample()) return false;
    // Ancestral sampling: extend each configuration with y_x drawn from p(y_x | c).
    for (std::int64_t c = 0; c < count_; ++c) {
      double* row = P_.data() + c * S_;
      double a1 = 0, total = 0;
      for (std::int64_t s = 0; s < S_; ++s) {
        total += row[s];
        a1 += row[s] * p[s];
      }
      double u;
      if (!draw(&u)) return false;
      const bool y = u * total < a1;
      for (std::int64_t s = 0; s < S_; ++s) row[s] *= y ? p[s] : 1 - p[s];
    }
    rescale();
    return true;
  }

 private:
  double row_mass(std::int64_t c) const {
    double sum = 0;
    for (std::int64_t s = 0; s < S_; ++s) sum += P_[c * S_ + s];
    return sum / static_cast<double>(S_);
  }

  bool draw(double* u) {
    if (used_ >= in_.uniform_count) return false;
    *u = in_.uniforms[used_++];
    return true;
  }

  // Leaves exact enumeration: draws `configurations` configurations from the exact distribution.
  bool resample() {
    std::vector<double> masses(static_cast<std::size_t>(count_));
    double total = 0;
    for (std::int64_t c = 0; c < count_; ++c) {
      masses[c] = row_mass(c) * std::exp(log_scale_[c]);
      total += masses[c];
    }
    const std::int64_t C = in_.configurations;
    std::vector<double> P(static_cast<std::size_t>(C * S_)), ls(static_cast<std::size_t>(C));
    for (std::int64_t t = 0; t < C; ++t) {
      double u;
      if (!draw(&u)) return false;
      u *= total;
      std::int64_t c = 0;
      while (c < count_ - 1 && u >= masses[c]) u -= masses[c++];
      std::copy(P_.begin() + c * S_, P_.begin() + (c + 1) * S_, P.begin() + t * S_);
      ls[t] = log_scale_[c];
    }
    P_.swap(P);
    log_scale_.swap(ls);
    count_ = C;
    exact_ = false;
    return true;
  }

  // Keeps each row's largest entry at 1, moving the factor into log_scale.
  void rescale() {
    for (std::int64_t c = 0; c < count_; ++c) {
      double* row = P_.data() + c * S_;
      double max = 0;
      for (std::int64_t s = 0; s < S_; ++s) max = std::max(max, row[s]);
      if (max > 0 && max != 1) {
        const double inv = 1 / max;
        for (std::int64_t s = 0; s < S_; ++s) row[s] *= inv;
        log_scale_[c] += std::log(max);
      }
    }
  }

  const BatchBaldInput& in_;
  std::int64_t S_;
  std::vector<double> P_, log_scale_;
  std::int64_t count_ = 1;
  bool exact_ = true;
  std::int64_t used_ = 0;
};

struct Entry {
  double key;
  std::int32_t pos;
};
// Max-heap order (key desc, position asc): a total order, so the top — and with it every pick —
// is the reference heap's whatever the layout.
inline bool below(const Entry& a, const Entry& b) {
  return a.key < b.key || (a.key == b.key && a.pos > b.pos);
}

}  // namespace

// Re-evaluations of one step are independent (the configurations change only at a pick), so the
// heap's top stale entries are evaluated ahead in parallel and the serial lazy loop then reads them:
// it pops, compares and picks exactly as the reference does, only sooner. Extra evaluations are
// wasted work, never a different answer. The number of evaluations varies a lot from step to step,
// so each miss looks ahead a quarter of what the last step evaluated (measured on the 90k-pair
// pool, k = 512: 15 % of the look-ahead wasted, 87 % of the evaluations found ready; a whole step's
// worth at once wasted 42 %), and evaluates one at a time when that is small.
constexpr std::size_t kSerialBelow = 16;     // fewer stale entries than this: evaluate one at a time
constexpr std::size_t kMaxLookAhead = 4096;
constexpr std::size_t kPerTask = 8;

BatchBaldStatus batchbald_greedy(const BatchBaldInput& in, std::int32_t* positions, double* scores) {
  const std::int64_t m = in.m, S = in.S;
  Configurations joint(in);
  // Lazy greedy: the gain I(y_x; w | y_B) only shrinks as the batch grows, so stale gains are
  // upper bounds; step 0's are the exact BALD scores.
  std::vector<Entry> heap(static_cast<std::size_t>(m));
  const std::int64_t chunk = 1024;
  parallel_for(static_cast<std::size_t>((m + chunk - 1) / chunk), [&](std::size_t task) {
    const std::int64_t p0 = static_cast<std::int64_t>(task) * chunk, p1 = std::min(m, p0 + chunk);
    for (std::int64_t p = p0; p < p1; ++p)
      heap[p] = {joint.entropy_with(in.prob + p * S) - in.cond_entropy[p], static_cast<std::int32_t>(p)};
  });
  if (in.cancel && *in.cancel) return BatchBaldStatus::cancelled;
  std::make_heap(heap.begin(), heap.end(), below);
  std::vector<std::int64_t> fresh(static_cast<std::size_t>(m), 0);
  // ahead_value[p] = H(y_B, y_p) at step ahead_step[p], computed before the serial loop asked.
  std::vector<double> ahead_value(static_cast<std::size_t>(m));
  std::vector<std::int64_t> ahead_step(static_cast<std::size_t>(m), -1);
  std::vector<Entry> popped;
  std::vector<std::int32_t> rescore;
  std::size_t last_step_evaluations = 0, evaluations = 0;
  double h_batch = joint.entropy();
  std::int64_t t = 0, checks = 0;
  while (t < in.k) {
    if ((++checks & 255) == 0 && in.cancel && *in.cancel) return BatchBaldStatus::cancelled;
    const Entry top = heap.front();
    if (fresh[top.pos] == t) {
      std::pop_heap(heap.begin(), heap.end(), below);
      heap.pop_back();
      positions[t] = top.pos;
      scores[t] = top.key;
      if (!joint.add(in.prob + top.pos * S)) return BatchBaldStatus::out_of_uniforms;
      ++t;
      if (in.progress) *in.progress = static_cast<std::int32_t>(t);
      h_batch = joint.entropy();
      last_step_evaluations = evaluations;
      evaluations = 0;
      continue;
    }
    const std::size_t expected = last_step_evaluations / 4;
    if (ahead_step[top.pos] != t && expected >= kSerialBelow) {
      // Popping the top entries and pushing them back leaves the (key desc, position asc) order intact.
      const std::size_t want = std::min(kMaxLookAhead, expected);
      popped.clear();
      rescore.clear();
      while (popped.size() < want && !heap.empty()) {
        const Entry e = heap.front();
        std::pop_heap(heap.begin(), heap.end(), below);
        heap.pop_back();
        popped.push_back(e);
        if (fresh[e.pos] != t) rescore.push_back(e.pos);
      }
      parallel_for((rescore.size() + kPerTask - 1) / kPerTask, [&](std::size_t task) {
        const std::size_t e1 = std::min(rescore.size(), (task + 1) * kPerTask);
        for (std::size_t e = task * kPerTask; e < e1; ++e) ahead_value[rescore[e]] = joint.entropy_with(in.prob + rescore[e] * S);
      });
      for (const std::int32_t p : rescore) ahead_step[p] = t;
      for (const Entry& e : popped) {
        heap.push_back(e);
        std::push_heap(heap.begin(), heap.end(), below);
      }
      continue;
    }
    std::pop_heap(heap.begin(), heap.end(), below);
    heap.pop_back();
    fresh[top.pos] = t;
    ++evaluations;
    const double with = ahead_step[top.pos] == t ? ahead_value[top.pos] : joint.entropy_with(in.prob + top.pos * S);
    heap.push_back({with - h_batch - in.cond_entropy[top.pos], top.pos});
    std::push_heap(heap.begin(), heap.end(), below);
  }
  return BatchBaldStatus::ok;
}

namespace {

double binary_entropy(double p) {
  return (p > 0 ? -p * std::log(p) : 0) + (p < 1 ? -(1 - p) * std::log(1 - p) : 0);
}

}  // namespace

template <class T>
bool batchbald_probabilities(const T* phi, std::int64_t n, std::int64_t d, const double* samples,
                             std::int64_t S, const std::int32_t* pairs, std::int64_t m, double* prob,
                             double* cond_entropy, const volatile std::int32_t* cancel) {
  // r[s·n + i], each a serial dot product in the reference's order (so the same bits).
  std::vector<double> r(static_cast<std::size_t>(S * n));
  const std::int64_t rows = 256;
  parallel_for(static_cast<std::size_t>((n + rows - 1) / rows), [&](std::size_t task) {
    if (cancel && *cancel) return;
    const std::int64_t i0 = static_cast<std::int64_t>(task) * rows, i1 = std::min(n, i0 + rows);
    for (std::int64_t s = 0; s < S; ++s) {
      const double* w = samples + s * d;
      for (std::int64_t i = i0; i < i1; ++i) {
        const T* x = phi + i * d;
        double acc = 0;
        for (std::int64_t c = 0; c < d; ++c) acc += static_cast<double>(x[c]) * w[c];
        r[s * n + i] = acc;
      }
    }
  });
  if (cancel && *cancel) return false;
  const std::int64_t chunk = 4096;
  parallel_for(static_cast<std::size_t>((m + chunk - 1) / chunk), [&](std::size_t task) {
    if (cancel && *cancel) return;
    const std::int64_t p0 = static_cast<std::int64_t>(task) * chunk, p1 = std::min(m, p0 + chunk);
    for (std::int64_t p = p0; p < p1; ++p) {
      const std::int64_t i = pairs[2 * p], j = pairs[2 * p + 1];
      double h = 0;
      for (std::int64_t s = 0; s < S; ++s) {
        const double ps = 1 / (1 + std::exp(-(r[s * n + i] - r[s * n + j])));
        prob[p * S + s] = ps;
        h += binary_entropy(ps);
      }
      cond_entropy[p] = h / static_cast<double>(S);
    }
  });
  return !(cancel && *cancel);
}

template bool batchbald_probabilities<float>(const float*, std::int64_t, std::int64_t, const double*,
                                             std::int64_t, const std::int32_t*, std::int64_t, double*,
                                             double*, const volatile std::int32_t*);
template bool batchbald_probabilities<double>(const double*, std::int64_t, std::int64_t, const double*,
                                              std::int64_t, const std::int32_t*, std::int64_t, double*,
                                              double*, const volatile std::int32_t*);

}  // namespace arm

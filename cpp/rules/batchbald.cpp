#include "rules/batchbald.h"

#include <algorithm>
#include <cmath>
#include <vector>

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

BatchBaldStatus batchbald_greedy(const BatchBaldInput& in, std::int32_t* positions, double* scores) {
  const std::int64_t m = in.m, S = in.S;
  Configurations joint(in);
  // Lazy greedy: the gain I(y_x; w | y_B) only shrinks as the batch grows, so stale gains are
  // upper bounds; step 0's are the exact BALD scores.
  std::vector<Entry> heap(static_cast<std::size_t>(m));
  for (std::int64_t p = 0; p < m; ++p)
    heap[p] = {joint.entropy_with(in.prob + p * S) - in.cond_entropy[p], static_cast<std::int32_t>(p)};
  std::make_heap(heap.begin(), heap.end(), below);
  std::vector<std::int64_t> fresh(static_cast<std::size_t>(m), 0);
  double h_batch = joint.entropy();
  std::int64_t t = 0, checks = 0;
  while (t < in.k) {
    if ((++checks & 255) == 0 && in.cancel && *in.cancel) return BatchBaldStatus::cancelled;
    const Entry top = heap.front();
    std::pop_heap(heap.begin(), heap.end(), below);
    heap.pop_back();
    if (fresh[top.pos] == t) {
      positions[t] = top.pos;
      scores[t] = top.key;
      if (!joint.add(in.prob + top.pos * S)) return BatchBaldStatus::out_of_uniforms;
      ++t;
      h_batch = joint.entropy();
    } else {
      fresh[top.pos] = t;
      heap.push_back({joint.entropy_with(in.prob + top.pos * S) - h_batch - in.cond_entropy[top.pos], top.pos});
      std::push_heap(heap.begin(), heap.end(), below);
    }
  }
  return BatchBaldStatus::ok;
}

}  // namespace arm

// GPU verification of the C interface against float64 references, for a machine with a GPU but
// maybe without Node (scripts/gpu-check.sh). Prints one PASS/FAIL line per check; exit status is
// the number of failures. Usage: active_rm_cuda_verify path/to/libactive_rm_cuda.so [small|cross]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "api.h"
#include "reference.h"

namespace {

Api api;
int failures = 0;

void report(bool ok, const std::string& what, double value) {
  std::printf("%s %-58s %.3g\n", ok ? "PASS" : "FAIL", what.c_str(), value);
  if (!ok) ++failures;
}

bool call(int status, const char* what) {
  if (status == ARM_OK) return true;
  std::printf("FAIL %s: status %d: %s\n", what, status, api.last_error());
  ++failures;
  return false;
}

double rel(double a, double b) { return std::fabs(a - b) / std::max({std::fabs(a), std::fabs(b), 1e-300}); }

template <class A, class B>
double max_scaled(const A& a, const B& b) {
  double scale = 0, err = 0;
  for (std::size_t e = 0; e < a.size(); ++e) {
    scale = std::max(scale, std::fabs(double(b[e])));
    err = std::max(err, std::fabs(double(a[e]) - double(b[e])));
  }
  return err / std::max(scale, 1e-300);
}

double max_rel(const std::vector<double>& a, const std::vector<double>& b) {
  double err = 0;
  for (std::size_t e = 0; e < a.size(); ++e) err = std::max(err, rel(a[e], b[e]));
  return err;
}

std::string shape(const Problem& p) {
  return "n=" + std::to_string(p.n) + " d=" + std::to_string(p.d) + " m=" + std::to_string(p.m());
}

// Factor of the problem's own information matrix (reference M, host Cholesky).
std::vector<double> factor_of(const Problem& p, const std::vector<std::int32_t>& pairs, const std::vector<double>& w,
                              double ridge) {
  const std::vector<double> M = ref_information(p, pairs, w, ridge);
  std::vector<double> L(M.size());
  double ld = 0;
  call(api.cholesky(M.data(), p.d, L.data(), &ld, nullptr, nullptr), "cholesky");
  return L;
}

void check_information(const Problem& p) {
  const std::vector<double> ref = ref_information(p, p.pairs, p.lambdas, 0.5);
  std::vector<double> got(ref.size());
  if (!call(api.information(p.phi.data(), p.n, p.d, p.pairs.data(), p.m(), p.lambdas.data(), 0.5, nullptr, got.data()),
            "information"))
    return;
  report(max_scaled(got, ref) < 1e-5, "information matrix " + shape(p), max_scaled(got, ref));
  std::vector<double> L(ref.size());
  double a = 0, b = 0;
  call(api.cholesky(ref.data(), p.d, L.data(), &a, nullptr, nullptr), "cholesky");
  call(api.cholesky(got.data(), p.d, L.data(), &b, nullptr, nullptr), "cholesky");
  report(rel(a, b) < 1e-5, "log det of the GPU information matrix " + shape(p), rel(a, b));
}

void check_projection(const Problem& p) {
  const std::vector<double> L = factor_of(p, p.pairs, p.lambdas, 1.0);
  const std::vector<double> ref = ref_project(p, L);
  std::vector<float> got(ref.size());
  double ms = 0;
  if (!call(api.project(p.phi.data(), p.n, p.d, L.data(), got.data(), &ms), "project")) return;
  report(max_scaled(got, ref) < 1e-5, "projection Y = L^-1 phi " + shape(p), max_scaled(got, ref));
  const std::vector<double> qref = ref_quadratic(ref, p.d, p.pairs);
  std::vector<double> q(qref.size());
  if (!call(api.quadratic(p.phi.data(), p.n, p.d, L.data(), p.pairs.data(), p.m(), q.data()), "quadratic")) return;
  report(max_rel(q, qref) < 1e-5, "quadratic forms " + shape(p), max_rel(q, qref));
}

void check_greedy(const Problem& p, int k) {
  const std::vector<double> L = factor_of(p, p.pairs, p.lambdas, 1.0);
  const std::vector<double> Y = ref_project(p, L);
  std::vector<std::int32_t> ref_picks;
  std::vector<double> ref_quad;
  ref_greedy(Y, p.n, p.d, p.pairs, p.lambdas, k, ref_picks, ref_quad);
  for (int lazy = 0; lazy < 2; ++lazy) {
    std::vector<std::int32_t> picks(k);
    std::vector<double> quad(k);
    if (!call(api.greedy(p.phi.data(), p.n, p.d, L.data(), p.pairs.data(), p.m(), p.lambdas.data(), k, lazy, nullptr,
                         picks.data(), quad.data()),
              "greedy"))
      continue;
    int first_diff = -1;
    for (int t = 0; t < k && first_diff < 0; ++t)
      if (picks[t] != ref_picks[t]) first_diff = t;
    const std::string name = std::string(lazy ? "lazy" : "plain") + " greedy picks k=" + std::to_string(k) + " " + shape(p);
    report(first_diff < 0, name + " (first diff)", first_diff);
    if (first_diff < 0) report(max_rel(quad, ref_quad) < 1e-4, name + " quadratic", max_rel(quad, ref_quad));
  }
}

void check_cross(const Problem& p, int k) {
  std::vector<std::int32_t> pairs;
  std::vector<double> lam;
  cross_pool(p, pairs, lam);
  const std::vector<double> L = factor_of(p, pairs, lam, 2.0);
  const std::vector<double> Y = ref_project(p, L);
  std::vector<std::int32_t> ref_picks;
  std::vector<double> ref_quad;
  ref_greedy(Y, p.n, p.d, pairs, lam, k, ref_picks, ref_quad);
  std::vector<std::int32_t> got(2 * k);
  std::vector<double> quad(k), lambdas(k);
  if (!call(api.cross_greedy(p.phi.data(), p.n, p.d, L.data(), p.prompts.data(), p.rewards.data(), k, nullptr,
                             got.data(), quad.data(), lambdas.data()),
            "cross greedy"))
    return;
  int first_diff = -1;
  for (int t = 0; t < k && first_diff < 0; ++t)
    if (got[2 * t] != pairs[2 * ref_picks[t]] || got[2 * t + 1] != pairs[2 * ref_picks[t] + 1]) first_diff = t;
  const std::string name = "cross greedy vs listed pool k=" + std::to_string(k) + " n=" + std::to_string(p.n) +
                           " d=" + std::to_string(p.d) + " m=" + std::to_string(pairs.size() / 2);
  report(first_diff < 0, name + " (first diff)", first_diff);
  if (first_diff < 0) report(max_rel(quad, ref_quad) < 1e-4, name + " quadratic", max_rel(quad, ref_quad));
}

void check_statuses() {
  const Problem p = make_problem(99, 10, 5, 8, false);
  const std::vector<double> L = factor_of(p, p.pairs, p.lambdas, 1.0);
  std::vector<std::int32_t> picks(p.m() + 1);
  std::vector<double> quad(p.m() + 1);
  int s = api.greedy(p.phi.data(), p.n, p.d, L.data(), p.pairs.data(), p.m(), p.lambdas.data(), int(p.m()) + 1, 1,
                     nullptr, picks.data(), quad.data());
  report(s == ARM_INVALID_ARGUMENT, "k > m is ARM_INVALID_ARGUMENT", s);
  const volatile std::int32_t cancel = 1;
  s = api.greedy(p.phi.data(), p.n, p.d, L.data(), p.pairs.data(), p.m(), p.lambdas.data(), 3, 0, &cancel,
                 picks.data(), quad.data());
  report(s == ARM_ABORTED, "a set cancel flag is ARM_ABORTED", s);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s libactive_rm_cuda.so\n", argv[0]);
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress visible through tee and on timeouts
  api = open_api(argv[1]);
  const int devices = api.device_count();
  if (devices < 1) {
    std::printf("FAIL no usable GPU: %s\n", api.last_error());
    return 1;
  }
  std::printf("device: %s\n", api.device_name());
  // "small": shapes that still cross every tile and block edge and the lazy catch-up, for the
  // CPU emulation (emulate.sh), where each launch costs milliseconds.
  if (argc > 2 && std::string(argv[2]) == "small") {
    check_information(make_problem(1, 15, 10, 70, false));
    check_projection(make_problem(4, 15, 10, 70, false));
    check_greedy(make_problem(6, 20, 10, 17, false), 30);
    check_greedy(make_problem(7, 1, 60, 8, true), 135);  // 1770 pairs, k > 128: a forced catch-up
    check_cross(make_problem(10, 15, 10, 20, false), 12);
    check_cross(make_problem(12, 7, 1, 5, false), 21);  // the whole pool
  } else if (argc > 2 && std::string(argv[2]) == "cross") {
    check_cross(make_problem(11, 30, 10, 130, false), 20);
    check_cross(make_problem(13, 60, 5, 72, false), 80);  // picks sharing tiles
  } else {
    check_information(make_problem(1, 30, 10, 70, false));
    check_information(make_problem(2, 13, 7, 130, false));
    check_information(make_problem(3, 5, 4, 3, false));
    check_projection(make_problem(4, 25, 10, 70, false));
    check_projection(make_problem(5, 30, 11, 200, false));
    check_greedy(make_problem(6, 40, 10, 96, false), 60);
    check_greedy(make_problem(7, 100, 10, 130, false), 150);  // crosses a lazy catch-up (every 128)
    check_greedy(make_problem(8, 1, 300, 40, true), 40);      // 44 850 pairs: large re-score sets
    check_greedy(make_problem(9, 300, 10, 64, false), 300);   // n = 3000, two catch-ups
    check_cross(make_problem(10, 24, 10, 48, false), 30);
    check_cross(make_problem(11, 30, 10, 130, false), 20);
    check_cross(make_problem(12, 7, 1, 5, false), 21);    // the whole pool
    check_cross(make_problem(13, 60, 5, 72, false), 80);  // picks sharing tiles
  }
  check_statuses();
  std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "ALL PASSED", failures);
  return failures;
}

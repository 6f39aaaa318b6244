// A minimal test harness for the kernel tests (no third-party framework, so the tests build with
// any cross compiler and run under qemu): TEST registers a case, CHECK records a failure with its
// place and keeps going.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

namespace kernel_test {

struct Case {
  const char* name;
  void (*run)();
};
std::vector<Case>& registry();
struct Register {
  Register(const char* name, void (*run)()) { registry().push_back({name, run}); }
};
extern int failures;
void fail(const char* file, int line, const char* what, double got, double want);

// Brute-force references, in long double.
long double log_abs_det(std::vector<long double> a, std::int64_t d);  // Gaussian elimination
std::vector<double> random_vector(std::mt19937_64& rng, std::size_t size, double scale = 1.0);

}  // namespace kernel_test

#define TEST(name)                                                        \
  static void name();                                                     \
  static const kernel_test::Register name##_register(#name, name);        \
  static void name()

#define CHECK(cond)                                                                         \
  do {                                                                                      \
    if (!(cond)) kernel_test::fail(__FILE__, __LINE__, #cond, 0, 0);                       \
  } while (0)

// |got − want| ≤ tol·max(1, |want|)
#define CHECK_NEAR(got, want, tol)                                                          \
  do {                                                                                      \
    const double g_ = (got), w_ = (want);                                                   \
    if (!(std::fabs(g_ - w_) <= (tol) * std::fmax(1.0, std::fabs(w_))))                     \
      kernel_test::fail(__FILE__, __LINE__, #got " ≈ " #want, g_, w_);                     \
  } while (0)

// Bit-identical doubles (the fixed-order reductions and plain vs lazy greedy promise this).
#define CHECK_SAME_BITS(got, want)                                                          \
  do {                                                                                      \
    const double g_ = (got), w_ = (want);                                                   \
    if (std::memcmp(&g_, &w_, sizeof g_) != 0)                                              \
      kernel_test::fail(__FILE__, __LINE__, #got " == " #want " (bits)", g_, w_);          \
  } while (0)

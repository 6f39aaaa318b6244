// Runs every registered kernel test; exit status 1 when any check failed. Optional argument: a
// substring of the test names to run.
#include <cstring>
#include <string>

#include "active_rm/active_rm.h"
#include "check.h"

namespace kernel_test {

std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

int failures = 0;

void fail(const char* file, int line, const char* what, double got, double want) {
  ++failures;
  if (failures <= 50)
    std::printf("  FAIL %s:%d: %s (got %.17g, want %.17g)\n", file, line, what, got, want);
}

long double log_abs_det(std::vector<long double> a, std::int64_t d) {
  long double sum = 0;
  for (std::int64_t c = 0; c < d; ++c) {
    std::int64_t pivot = c;
    for (std::int64_t r = c + 1; r < d; ++r)
      if (std::fabs(a[r * d + c]) > std::fabs(a[pivot * d + c])) pivot = r;
    if (pivot != c)
      for (std::int64_t e = 0; e < d; ++e) std::swap(a[c * d + e], a[pivot * d + e]);
    const long double p = a[c * d + c];
    sum += std::log(std::fabs(p));
    for (std::int64_t r = c + 1; r < d; ++r) {
      const long double f = a[r * d + c] / p;
      for (std::int64_t e = c; e < d; ++e) a[r * d + e] -= f * a[c * d + e];
    }
  }
  return sum;
}

std::vector<double> random_vector(std::mt19937_64& rng, std::size_t size, double scale) {
  std::normal_distribution<double> normal(0.0, scale);
  std::vector<double> v(size);
  for (double& x : v) x = normal(rng);
  return v;
}

}  // namespace kernel_test

int main(int argc, char** argv) {
  using namespace kernel_test;
  const char* filter = argc > 1 ? argv[1] : "";
  std::printf("kernel tests: active ISA %s; available:", arm::isa_name(arm::active_isa()));
  for (arm::Isa isa : {arm::Isa::ref, arm::Isa::avx2, arm::Isa::avx512, arm::Isa::neon})
    if (arm::isa_supported(isa)) std::printf(" %s", arm::isa_name(isa));
  std::printf("; %u threads\n", arm::worker_count());
  int ran = 0, failed = 0;
  for (const Case& c : registry()) {
    if (!std::strstr(c.name, filter)) continue;
    const int before = failures;
    c.run();
    ++ran;
    const bool ok = failures == before;
    if (!ok) ++failed;
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", c.name);
  }
  std::printf("%d tests, %d failed, %d failed checks\n", ran, failed, failures);
  return failures == 0 && ran > 0 ? 0 : 1;
}

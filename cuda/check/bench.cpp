// Our side of scripts/bench-cuda-torch.py: times the C interface on the data that script wrote
// (raw little-endian files in DIR, shapes in DIR/meta.txt) and writes DIR/ours.json plus the picks
// for the pick-for-pick comparison with the PyTorch reference.
// Usage: active_rm_cuda_bench path/to/libactive_rm_cuda.so DIR
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "api.h"

namespace {

Api api;
std::string dir;

template <class T>
std::vector<T> load(const std::string& name, std::size_t count) {
  std::vector<T> v(count);
  std::ifstream f(dir + "/" + name, std::ios::binary);
  if (!f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * sizeof(T)))) {
    std::fprintf(stderr, "cannot read %zu values from %s\n", count, name.c_str());
    std::exit(2);
  }
  return v;
}

template <class T>
void save(const std::string& name, const std::vector<T>& v) {
  std::ofstream f(dir + "/" + name, std::ios::binary);
  f.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
}

void ok(int status, const char* what) {
  if (status == ARM_OK) return;
  std::fprintf(stderr, "%s failed: status %d: %s\n", what, status, api.last_error());
  std::exit(1);
}

template <class F>
double time_ms(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s libactive_rm_cuda.so DIR\n", argv[0]);
    return 2;
  }
  api = open_api(argv[1]);
  dir = argv[2];
  if (api.device_count() < 1) {
    std::fprintf(stderr, "no usable GPU: %s\n", api.last_error());
    return 1;
  }
  int gn, gd, gk, cn, cd, ck;
  long long gm;
  {
    std::ifstream meta(dir + "/meta.txt");
    std::string tag;
    meta >> tag >> gn >> gd >> gm >> gk >> tag >> cn >> cd >> ck;
  }
  std::FILE* out = std::fopen((dir + "/ours.json").c_str(), "w");
  std::fprintf(out, "{\"device\": \"%s\"", api.device_name());

  {  // greedy within pool
    const auto phi = load<float>("g_phi.f32", std::size_t(gn) * gd);
    const auto pairs = load<std::int32_t>("g_pairs.i32", std::size_t(gm) * 2);
    const auto lam = load<double>("g_lambdas.f64", std::size_t(gm));
    std::vector<double> M(std::size_t(gd) * gd), L(M.size());
    double ld = 0;
    // Warm-up: context creation and module load are not part of any figure.
    ok(api.project(phi.data(), 256, gd, load<double>("g_L.f64", std::size_t(gd) * gd).data(), nullptr, nullptr), "warm-up");
    const double info_ms = time_ms([&] {
      ok(api.information(phi.data(), gn, gd, pairs.data(), gm, lam.data(), 1.0, nullptr, M.data()), "information");
    });
    const double chol_ms = time_ms([&] { ok(api.cholesky(M.data(), gd, L.data(), &ld, nullptr, nullptr), "cholesky"); });
    const auto Lt = load<double>("g_L.f64", std::size_t(gd) * gd);  // torch's factor: both sides select with it
    double best = 1e300;
    for (int r = 0; r < 3; ++r) {
      double ms = 0;
      ok(api.project(phi.data(), gn, gd, Lt.data(), nullptr, &ms), "project");
      best = std::min(best, ms);
    }
    std::vector<std::int32_t> picks(gk);
    std::vector<double> quad(gk);
    const double lazy_ms = time_ms([&] {
      ok(api.greedy(phi.data(), gn, gd, Lt.data(), pairs.data(), gm, lam.data(), gk, 1, nullptr, picks.data(), quad.data()),
         "lazy greedy");
    });
    save("ours_lazy_picks.i32", picks);
    save("ours_lazy_quad.f64", quad);
    const double plain_ms = time_ms([&] {
      ok(api.greedy(phi.data(), gn, gd, Lt.data(), pairs.data(), gm, lam.data(), gk, 0, nullptr, picks.data(), quad.data()),
         "plain greedy");
    });
    save("ours_plain_picks.i32", picks);
    std::fprintf(out,
                 ", \"greedy\": {\"n\": %d, \"d\": %d, \"m\": %lld, \"k\": %d, \"information_ms\": %.3f, "
                 "\"cholesky_host_ms\": %.3f, \"log_det\": %.10g, \"projection_device_ms\": %.3f, "
                 "\"lazy_ms\": %.3f, \"plain_ms\": %.3f}",
                 gn, gd, gm, gk, info_ms, chol_ms, ld, best, lazy_ms, plain_ms);
    std::fflush(out);
  }
  {  // exhaustive cross pool
    const auto phi = load<float>("c_phi.f32", std::size_t(cn) * cd);
    const auto prompts = load<std::int32_t>("c_prompts.i32", std::size_t(cn));
    const auto rewards = load<double>("c_rewards.f64", std::size_t(cn));
    const auto L = load<double>("c_L.f64", std::size_t(cd) * cd);
    std::vector<std::int32_t> pairs(2 * std::size_t(ck));
    std::vector<double> quad(ck), lam(ck);
    const double ms = time_ms([&] {
      ok(api.cross_greedy(phi.data(), cn, cd, L.data(), prompts.data(), rewards.data(), ck, nullptr, pairs.data(),
                          quad.data(), lam.data()),
         "cross greedy");
    });
    save("ours_cross_pairs.i32", pairs);
    std::fprintf(out, ", \"cross\": {\"n\": %d, \"d\": %d, \"k\": %d, \"ms\": %.3f}", cn, cd, ck, ms);
  }
  std::fprintf(out, "}\n");
  std::fclose(out);
  return 0;
}

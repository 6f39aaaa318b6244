// The C interface resolved with dlopen, as the addon does it: the checks exercise exactly the
// library a user gets (path given on the command line).
#pragma once

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

#include "../active_rm_cuda.h"

struct Api {
  decltype(&arm_cuda_last_error) last_error;
  decltype(&arm_cuda_device_count) device_count;
  decltype(&arm_cuda_device_name) device_name;
  decltype(&arm_cuda_information) information;
  decltype(&arm_cuda_cholesky) cholesky;
  decltype(&arm_cuda_project) project;
  decltype(&arm_cuda_quadratic) quadratic;
  decltype(&arm_cuda_greedy) greedy;
  decltype(&arm_cuda_cross_greedy) cross_greedy;
};

template <class F>
inline void bind(void* h, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(h, name));
  if (!f) {
    std::fprintf(stderr, "missing symbol %s\n", name);
    std::exit(2);
  }
}

inline Api open_api(const char* path) {
  void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    std::fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
    std::exit(2);
  }
  Api a{};
  bind(h, "arm_cuda_last_error", a.last_error);
  bind(h, "arm_cuda_device_count", a.device_count);
  bind(h, "arm_cuda_device_name", a.device_name);
  bind(h, "arm_cuda_information", a.information);
  bind(h, "arm_cuda_cholesky", a.cholesky);
  bind(h, "arm_cuda_project", a.project);
  bind(h, "arm_cuda_quadratic", a.quadratic);
  bind(h, "arm_cuda_greedy", a.greedy);
  bind(h, "arm_cuda_cross_greedy", a.cross_greedy);
  return a;
}

// Device discovery and the per-thread error message. Discovery goes through the statically linked
// runtime, so a machine without a driver answers with an explanation ("no NVIDIA driver…", "CUDA
// driver version is insufficient…", "no CUDA-capable device is detected") instead of failing to load.
#include <cuda_runtime.h>
#include <dlfcn.h>

#include <string>

#include "active_rm_cuda.h"
#include "common.cuh"

namespace {
thread_local std::string last_error;
thread_local std::string device_name;

// The static runtime says "driver version is insufficient" also when there is no driver at all;
// the driver library's absence tells the two apart.
bool driver_installed() {
  void* driver = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
  if (driver) dlclose(driver);
  return driver != nullptr;
}
}  // namespace

namespace arm {

void set_last_error(const std::string& message) { last_error = message; }

void require_device() {
  int count = 0;
  check(cudaGetDeviceCount(&count), "cudaGetDeviceCount");
  if (count < 1) throw Failure(ARM_CUDA_ERROR, "no CUDA-capable device is detected");
}

}  // namespace arm

extern "C" {

const char* arm_cuda_last_error(void) { return last_error.c_str(); }

int arm_cuda_abi_version(void) { return 1; }

int arm_cuda_device_count(void) {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    last_error = e == cudaErrorInsufficientDriver && !driver_installed()
                     ? "no NVIDIA driver is installed (libcuda.so.1 not found)"
                     : cudaGetErrorString(e);
    return -1;
  }
  if (count == 0) last_error = "no CUDA-capable device is detected";
  return count;
}

const char* arm_cuda_device_name(void) {
  cudaDeviceProp prop;
  device_name.clear();
  int count = 0;
  if (cudaGetDeviceCount(&count) == cudaSuccess && count > 0 &&
      cudaGetDeviceProperties(&prop, 0) == cudaSuccess)
    device_name = prop.name;
  return device_name.c_str();
}

}  // extern "C"

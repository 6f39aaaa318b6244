// Error plumbing and device memory ownership shared by every entry point. Entry points run their
// body inside guarded(), so a CUDA failure anywhere becomes a status code plus a message and no
// exception ever crosses the C interface.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "active_rm_cuda.h"

namespace arm {

struct Failure : std::runtime_error {
  int status;
  Failure(int s, const std::string& message) : std::runtime_error(message), status(s) {}
};

void set_last_error(const std::string& message);

inline void check(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return;
  const int status = e == cudaErrorMemoryAllocation ? ARM_OUT_OF_MEMORY : ARM_CUDA_ERROR;
  throw Failure(status, std::string(what) + ": " + cudaGetErrorString(e));
}

// Kernel launches report configuration errors only through cudaGetLastError.
inline void check_launch(const char* kernel) { check(cudaGetLastError(), kernel); }

template <class F>
int guarded(F&& body) {
  try {
    set_last_error("");
    body();
    return ARM_OK;
  } catch (const Failure& f) {
    set_last_error(f.what());
    return f.status;
  } catch (const std::bad_alloc&) {
    set_last_error("out of host memory");
    return ARM_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_last_error(e.what());
    return ARM_CUDA_ERROR;
  }
}

inline void require(bool ok, const char* message) {
  if (!ok) throw Failure(ARM_INVALID_ARGUMENT, message);
}

// Throws when no device can run kernels, so every operation fails with the driver's own reason.
void require_device();

template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t count) : count_(count) {
    if (count > 0) check(cudaMalloc(&ptr_, count * sizeof(T)), "cudaMalloc");
  }
  DeviceBuffer(const T* host, std::size_t count) : DeviceBuffer(count) { upload(host, count); }
  ~DeviceBuffer() {
    if (ptr_) cudaFree(ptr_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  void upload(const T* host, std::size_t count, std::size_t offset = 0) {
    if (count) check(cudaMemcpy(ptr_ + offset, host, count * sizeof(T), cudaMemcpyHostToDevice), "upload");
  }
  void download(T* host, std::size_t count, std::size_t offset = 0) const {
    if (count) check(cudaMemcpy(host, ptr_ + offset, count * sizeof(T), cudaMemcpyDeviceToHost), "download");
  }
  void zero() {
    if (count_) check(cudaMemset(ptr_, 0, count_ * sizeof(T)), "cudaMemset");
  }
  T* get() const { return ptr_; }
  std::size_t size() const { return count_; }

 private:
  T* ptr_ = nullptr;
  std::size_t count_ = 0;
};

inline unsigned blocks_for(std::int64_t items, int per_block) {
  return static_cast<unsigned>((items + per_block - 1) / per_block);
}

}  // namespace arm

// CPU emulation shim (cuda/check/emulate.sh): just enough of the CUDA runtime and kernel model to
// execute this library's kernels on the host, one launch at a time, a std::thread per CUDA thread.
// It checks indexing and algorithm logic only: no timing, no real warp or memory-model semantics.
#pragma once
#include <math.h>
#include <atomic>
#include <barrier>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>
#define __global__
#define __device__
#define __host__
#define __shared__ static
#define __launch_bounds__(...)
struct dim3 { unsigned x, y, z; dim3(unsigned a = 1, unsigned b = 1, unsigned c = 1) : x(a), y(b), z(c) {} };
struct uint3 { unsigned x, y, z; };
struct int2 { int x, y; };
inline int2 make_int2(int a, int b) { return int2{a, b}; }
inline thread_local uint3 threadIdx, blockIdx;
inline thread_local dim3 blockDim, gridDim;
struct EmuWarp { std::barrier<>* bar; std::uint64_t slot[32]; };
inline thread_local std::barrier<>* emu_block;
inline thread_local EmuWarp* emu_warp;
inline thread_local unsigned emu_lane;
inline void __syncthreads() { emu_block->arrive_and_wait(); }
template <class T> T __shfl_down_sync(unsigned, T v, int off) {
  static_assert(sizeof(T) <= 8);
  std::memcpy(&emu_warp->slot[emu_lane], &v, sizeof(T));
  emu_warp->bar->arrive_and_wait();
  T r = v;
  if (emu_lane + off < 32) std::memcpy(&r, &emu_warp->slot[emu_lane + off], sizeof(T));
  emu_warp->bar->arrive_and_wait();
  return r;
}
inline int atomicAdd(int* p, int v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
template <class F> void emu_launch(dim3 g, dim3 b, F&& body) {
  const unsigned nt = b.x * b.y * b.z, nw = (nt + 31) / 32;
  std::barrier<> block(nt);
  std::vector<std::unique_ptr<std::barrier<>>> bars;
  std::vector<EmuWarp> warps(nw);
  for (unsigned w = 0; w < nw; ++w) {
    bars.emplace_back(new std::barrier<>(std::min(32u, nt - 32 * w)));
    warps[w].bar = bars.back().get();
  }
  std::vector<std::thread> ts;
  for (unsigned t = 0; t < nt; ++t)
    ts.emplace_back([&, t] {
      threadIdx = uint3{t % b.x, (t / b.x) % b.y, t / (b.x * b.y)};
      blockDim = b; gridDim = g; emu_block = &block; emu_warp = &warps[t / 32]; emu_lane = t % 32;
      for (unsigned z = 0; z < g.z; ++z) for (unsigned y = 0; y < g.y; ++y) for (unsigned x = 0; x < g.x; ++x) {
        blockIdx = uint3{x, y, z};
        body();
        block.arrive_and_wait();
      }
    });
  for (auto& th : ts) th.join();
}
enum cudaError_t { cudaSuccess = 0, cudaErrorMemoryAllocation = 2 };
enum cudaMemcpyKind { cudaMemcpyHostToDevice, cudaMemcpyDeviceToHost, cudaMemcpyDeviceToDevice };
enum cudaDeviceAttr { cudaDevAttrMultiProcessorCount };
struct cudaDeviceProp { char name[256]; };
typedef struct EmuEvent* cudaEvent_t;
template <class T> cudaError_t cudaMalloc(T** p, size_t n) { *p = static_cast<T*>(std::calloc(1, n)); return *p ? cudaSuccess : cudaErrorMemoryAllocation; }
inline cudaError_t cudaFree(void* p) { std::free(p); return cudaSuccess; }
inline cudaError_t cudaMemcpy(void* d, const void* s, size_t n, cudaMemcpyKind) { std::memcpy(d, s, n); return cudaSuccess; }
inline cudaError_t cudaMemset(void* d, int v, size_t n) { std::memset(d, v, n); return cudaSuccess; }
inline cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }
inline cudaError_t cudaGetLastError() { return cudaSuccess; }
inline const char* cudaGetErrorString(cudaError_t) { return "emulated error"; }
inline cudaError_t cudaGetDeviceCount(int* c) { *c = 1; return cudaSuccess; }
inline cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int) { std::strcpy(p->name, "CPU emulation"); return cudaSuccess; }
inline cudaError_t cudaDeviceGetAttribute(int* v, cudaDeviceAttr, int) { *v = 4; return cudaSuccess; }
inline cudaError_t cudaEventCreate(cudaEvent_t* e) { *e = nullptr; return cudaSuccess; }
inline cudaError_t cudaEventRecord(cudaEvent_t) { return cudaSuccess; }
inline cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
inline cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t, cudaEvent_t) { *ms = 0; return cudaSuccess; }
inline cudaError_t cudaEventDestroy(cudaEvent_t) { return cudaSuccess; }

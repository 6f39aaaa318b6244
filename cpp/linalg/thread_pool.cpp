#include "linalg/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#elif defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#endif

namespace arm {

namespace {

// Helpers run at a lower priority than the process's other threads: on a machine with few cores
// the Node event loop must still get a core promptly while a selection keeps the helpers busy.
// (Per-thread nice is Linux's; elsewhere without a portable equivalent they keep the default.)
void lower_this_thread_priority() {
#if defined(__linux__)
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
#elif defined(_WIN32)
  SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
#endif
}

class Pool {
 public:
  explicit Pool(unsigned helpers) {
    for (unsigned t = 0; t < helpers; ++t) threads_.emplace_back([this] { loop(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  unsigned size() const { return static_cast<unsigned>(threads_.size()) + 1; }

  void run(std::size_t tasks, const std::function<void(std::size_t)>& body) {
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock() || threads_.empty() || tasks < 2) {
      for (std::size_t i = 0; i < tasks; ++i) body(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      tasks_ = tasks;
      next_.store(0);
      active_ = static_cast<unsigned>(threads_.size());
      ++generation_;
    }
    wake_.notify_all();
    drain(body, tasks);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return active_ == 0; });
    body_ = nullptr;
  }

 private:
  void drain(const std::function<void(std::size_t)>& body, std::size_t tasks) {
    for (std::size_t i = next_.fetch_add(1); i < tasks; i = next_.fetch_add(1)) body(i);
  }

  void loop() {
    lower_this_thread_priority();
    std::size_t seen = 0;
    for (;;) {
      const std::function<void(std::size_t)>* body;
      std::size_t tasks;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        body = body_;
        tasks = tasks_;
      }
      drain(*body, tasks);
      std::lock_guard<std::mutex> lock(mutex_);
      if (--active_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex busy_, mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t tasks_ = 0, generation_ = 0;
  std::atomic<std::size_t> next_{0};
  unsigned active_ = 0;
  bool stopping_ = false;
};

Pool& pool() {
  // Leaked on purpose: joining threads from a static destructor at process exit can hang when
  // Node tears down the addon.
  static Pool* instance = new Pool(std::max(1u, std::thread::hardware_concurrency()) - 1);
  return *instance;
}

}  // namespace

void parallel_for(std::size_t tasks, const std::function<void(std::size_t)>& body) {
  pool().run(tasks, body);
}

unsigned worker_count() { return pool().size(); }

}  // namespace arm

# Cross-compiling for 64-bit Arm Linux with Debian's g++-aarch64-linux-gnu
# (cmake -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake ...). The results run on aarch64,
# or here under `qemu-aarch64-static -L /usr/aarch64-linux-gnu` (scripts/test-aarch64.sh).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
# -DACTIVE_RM_CROSS_CLANG=ON: clang with --target instead (it uses the GNU cross toolchain's
# libraries and headers).
if(ACTIVE_RM_CROSS_CLANG)
  set(CMAKE_C_COMPILER clang)
  set(CMAKE_CXX_COMPILER clang++)
  set(CMAKE_C_COMPILER_TARGET aarch64-linux-gnu)
  set(CMAKE_CXX_COMPILER_TARGET aarch64-linux-gnu)
else()
  set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
  set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
endif()
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# ctest runs the cross-built tests through qemu when it is installed.
find_program(ACTIVE_RM_QEMU_AARCH64 qemu-aarch64-static)
if(ACTIVE_RM_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${ACTIVE_RM_QEMU_AARCH64} -L /usr/aarch64-linux-gnu)
endif()

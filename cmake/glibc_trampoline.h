// A trampoline __wrap_<name> that jumps to <name> at the architecture's oldest glibc symbol version.
// The linker's --wrap=<name> sends every reference to <name> (ours and those inside the static
// libstdc++) to the trampoline, so the binary asks the dynamic linker for the old version, which
// glibc keeps forever, instead of the newest one it was linked against (e.g. pthread_create moved
// into libc.so.6 as GLIBC_2.34). Used only for prebuilt binaries (cmake/GlibcBaseline.cmake).
#ifndef ACTIVE_RM_GLIBC_TRAMPOLINE_H
#define ACTIVE_RM_GLIBC_TRAMPOLINE_H

#if defined(__x86_64__)
#define ARM_GLIBC_BASELINE "GLIBC_2.2.5"
#define ARM_GLIBC_JUMP(target) "jmp " target "@PLT"
#elif defined(__aarch64__)
#define ARM_GLIBC_BASELINE "GLIBC_2.17"
#define ARM_GLIBC_JUMP(target) "b " target
#else
#error "ACTIVE_RM_GLIBC_BASELINE knows the oldest glibc symbol versions of x86-64 and aarch64 only"
#endif

// A tail jump keeps every argument register as it was, so one trampoline fits any signature.
#define ARM_GLIBC_TRAMPOLINE_AT(name, version)                                   \
  __asm__(".symver arm_glibc_old_" #name ", " #name "@" version "\n"             \
          ".text\n"                                                              \
          ".globl __wrap_" #name "\n"                                            \
          ".hidden __wrap_" #name "\n"                                           \
          ".type __wrap_" #name ", %function\n"                                  \
          "__wrap_" #name ":\n"                                                  \
          "  " ARM_GLIBC_JUMP("arm_glibc_old_" #name) "\n"                       \
          ".size __wrap_" #name ", . - __wrap_" #name "\n");

#define ARM_GLIBC_TRAMPOLINE(name) ARM_GLIBC_TRAMPOLINE_AT(name, ARM_GLIBC_BASELINE)

#endif

# Prebuilt Linux binaries must load on glibc 2.28 (Debian 10, RHEL 8; Ubuntu 20.04 has 2.31) although
# this toolchain's glibc is newer. active_rm_glibc_baseline(<target> <symbol>...) routes each listed
# symbol to its oldest version (cmake/glibc_trampoline.h: the architecture's first, GLIBC_2.2.5 on
# x86-64 and GLIBC_2.17 on aarch64, or the later one named below) and defines the two that
# have none (cmake/glibc_replacements.cpp). libgcc stays shared: the static unwinder of GCC 12 calls
# _dl_find_object (2.35) and has no fallback. scripts/check-glibc.sh proves the result; when a
# toolchain update references a new symbol, it names it, and it goes in the list at the call site.
set(ACTIVE_RM_GLIBC_BASELINE_DIR "${CMAKE_CURRENT_LIST_DIR}")

# Symbols whose first version on x86-64 is later than GLIBC_2.2.5 (on aarch64 everything is 2.17).
set(ACTIVE_RM_GLIBC_FIRST_X86_64 "dlmopen=GLIBC_2.3.4")

function(active_rm_glibc_baseline target)
  set(body "#include \"${ACTIVE_RM_GLIBC_BASELINE_DIR}/glibc_trampoline.h\"\n")
  foreach(symbol IN LISTS ARGN)
    set(version "")
    if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
      foreach(first IN LISTS ACTIVE_RM_GLIBC_FIRST_X86_64)
        if(first MATCHES "^${symbol}=(.*)$")
          set(version "${CMAKE_MATCH_1}")
        endif()
      endforeach()
    endif()
    if(version)
      string(APPEND body "ARM_GLIBC_TRAMPOLINE_AT(${symbol}, \"${version}\")\n")
    else()
      string(APPEND body "ARM_GLIBC_TRAMPOLINE(${symbol})\n")
    endif()
    target_link_options(${target} PRIVATE "LINKER:--wrap=${symbol}")
  endforeach()
  set(source "${CMAKE_CURRENT_BINARY_DIR}/${target}_glibc_trampolines.cpp")
  file(WRITE "${source}" "${body}")
  target_sources(${target} PRIVATE "${source}" "${ACTIVE_RM_GLIBC_BASELINE_DIR}/glibc_replacements.cpp")
  set_source_files_properties("${source}" "${ACTIVE_RM_GLIBC_BASELINE_DIR}/glibc_replacements.cpp"
    TARGET_DIRECTORY ${target} PROPERTIES LANGUAGE CXX)
  # Before glibc 2.34 the pthread, dl and rt functions live in their own libraries: name them, so
  # the old versions resolve wherever this binary is loaded from (on newer glibc they are stubs).
  # (--no-as-needed: Debian's GCC drops a library none of whose symbols it resolved to.)
  target_link_libraries(${target} PRIVATE "-Wl,--push-state,--no-as-needed" -l:libpthread.so.0 -l:libdl.so.2
    -l:librt.so.1 "-Wl,--pop-state")
endfunction()

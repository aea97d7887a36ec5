# TkFuzzing.cmake: the TK_FUZZ option (OFF by default) and the libFuzzer targets under native/src/fuzz, one per
# parser the shim runs on bytes from outside (a ticket's stamp, a store's session DER, a session PEM file). They
# need Clang; bin/fuzz configures a build with clang and TK_FUZZ=ON TK_ASAN=ON TK_UBSAN=ON and runs them.

include_guard(GLOBAL)

option(TK_FUZZ "Build the libFuzzer targets (Clang only)" OFF)

if(TK_FUZZ AND NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TK_FUZZ needs Clang (libFuzzer); the C compiler is ${CMAKE_C_COMPILER_ID}. "
                        "Configure with -DCMAKE_C_COMPILER=clang-19 (Debian: clang-19, libfuzzer-19-dev)")
endif()

# tk_target_fuzz_coverage(<target>) instruments <target> for libFuzzer's coverage feedback without linking its
# main(), so that the library's own code guides the fuzzers.
function(tk_target_fuzz_coverage target)
    if(TK_FUZZ)
        target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
        target_link_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
    endif()
endfunction()

# tk_add_fuzz_targets() adds fuzz_<name> for each native/src/fuzz/fuzz_<name>.c, linked to the library's
# objects, and tk_make_fuzz_seeds, which writes the seed corpus from real handshakes.
function(tk_add_fuzz_targets)
    if(NOT TK_FUZZ)
        return()
    endif()
    set(fuzz_dir "${PROJECT_SOURCE_DIR}/native/src/fuzz")
    file(GLOB fuzz_sources CONFIGURE_DEPENDS "${fuzz_dir}/fuzz_*.c")
    foreach(source IN LISTS fuzz_sources)
        get_filename_component(name "${source}" NAME_WE)
        add_executable(${name} "${source}")
        tk_target_c_defaults(${name})
        tk_target_sanitizers(${name})
        target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
        target_link_options(${name} PRIVATE -fsanitize=fuzzer)
        target_link_libraries(${name} PRIVATE ticketkeeper_objects)
    endforeach()
    add_executable(tk_make_fuzz_seeds "${fuzz_dir}/make_seeds.c")
    tk_target_c_defaults(tk_make_fuzz_seeds)
    tk_target_sanitizers(tk_make_fuzz_seeds)
    tk_target_fuzz_coverage(tk_make_fuzz_seeds)
    target_include_directories(tk_make_fuzz_seeds PRIVATE "${TK_TEST_SOURCE_DIR}")
    target_link_libraries(tk_make_fuzz_seeds PRIVATE ticketkeeper_objects tk_test_tls)
endfunction()

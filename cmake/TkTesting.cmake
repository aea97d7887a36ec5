# TkTesting.cmake: one CTest per C test file under native/src/test/c.

include_guard(GLOBAL)

include(TkCompilerSettings)
include(TkSanitizers)

set(TK_TEST_SOURCE_DIR "${PROJECT_SOURCE_DIR}/native/src/test/c")

# How the tests run on a system that is not the build's own (bin/lib/platforms.sh sets them). A cross build's
# toolchain file names its emulator (CMAKE_CROSSCOMPILING_EMULATOR, e.g. qemu-user); TK_TEST_LAUNCHER runs a native
# build's tests through a command, e.g. another Debian release's dynamic loader with its libraries, as CMake 3.29's
# CMAKE_TEST_LAUNCHER would. TK_TEST_ENVIRONMENT adds VAR=value entries to every test's environment.
set(TK_TEST_LAUNCHER "" CACHE STRING "A command (a list) that runs each test program")
set(TK_TEST_ENVIRONMENT "" CACHE STRING "VAR=value entries (a list) added to every test's environment")

# tk_add_c_test(<name> [SOURCES <file>...] [LIBRARIES <library>...])
#
# Builds the executable <name> from native/src/test/c/<name>.c and any extra SOURCES, links it to LIBRARIES and
# registers it as the CTest <name>. A test passes when its main() returns 0.
function(tk_add_c_test name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;LIBRARIES")
    add_executable(${name} "${TK_TEST_SOURCE_DIR}/${name}.c" ${ARG_SOURCES})
    tk_target_c_defaults(${name})
    tk_target_sanitizers(${name})
    target_include_directories(${name} PRIVATE "${TK_TEST_SOURCE_DIR}")
    target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES})
    if(TK_TEST_LAUNCHER)
        add_test(NAME ${name} COMMAND ${TK_TEST_LAUNCHER} $<TARGET_FILE:${name}>)
    else()
        add_test(NAME ${name} COMMAND ${name})
    endif()
    tk_sanitizer_test_environment(environment)
    list(APPEND environment ${TK_TEST_ENVIRONMENT})
    set_tests_properties(${name} PROPERTIES TIMEOUT 300 ENVIRONMENT "${environment}")
endfunction()

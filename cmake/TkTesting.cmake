# TkTesting.cmake: one CTest per C test file under native/src/test/c.

include_guard(GLOBAL)

include(TkCompilerSettings)
include(TkSanitizers)

set(TK_TEST_SOURCE_DIR "${PROJECT_SOURCE_DIR}/native/src/test/c")

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
    add_test(NAME ${name} COMMAND ${name})
    tk_sanitizer_test_environment(environment)
    set_tests_properties(${name} PROPERTIES TIMEOUT 300 ENVIRONMENT "${environment}")
endfunction()

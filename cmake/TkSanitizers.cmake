# TkSanitizers.cmake: the TK_ASAN and TK_UBSAN options (both OFF by default) and the function that applies them to
# a target. Each target that makes up the library or a test calls tk_target_sanitizers, so that the library and
# the code exercising it are instrumented alike.

include_guard(GLOBAL)

include(CheckCSourceCompiles)

option(TK_ASAN "Instrument TicketKeeper targets with AddressSanitizer (and LeakSanitizer)" OFF)
option(TK_UBSAN "Instrument TicketKeeper targets with UndefinedBehaviorSanitizer" OFF)

set(TK_SANITIZER_FLAGS "")
if(TK_ASAN)
    list(APPEND TK_SANITIZER_FLAGS -fsanitize=address -fno-omit-frame-pointer)
endif()
if(TK_UBSAN)
    list(APPEND TK_SANITIZER_FLAGS -fsanitize=undefined -fno-sanitize-recover=undefined)
endif()

# Fail at configure time, with the reason, rather than with a link error in the middle of the build.
if(TK_SANITIZER_FLAGS)
    if(NOT CMAKE_C_COMPILER_ID MATCHES "^(GNU|Clang|AppleClang)$")
        message(FATAL_ERROR "TK_ASAN/TK_UBSAN need GCC or Clang; the C compiler is ${CMAKE_C_COMPILER_ID}")
    endif()
    list(JOIN TK_SANITIZER_FLAGS " " CMAKE_REQUIRED_FLAGS)
    set(CMAKE_REQUIRED_LINK_OPTIONS ${TK_SANITIZER_FLAGS})
    check_c_source_compiles("int main(void) { return 0; }" TK_SANITIZERS_LINK)
    unset(CMAKE_REQUIRED_FLAGS)
    unset(CMAKE_REQUIRED_LINK_OPTIONS)
    if(NOT TK_SANITIZERS_LINK)
        message(FATAL_ERROR "the C compiler cannot link with ${TK_SANITIZER_FLAGS}; install the sanitizer "
                            "runtimes (Debian: libasan8, libubsan1 for GCC 12; libclang-rt-dev for Clang)")
    endif()
    message(STATUS "TicketKeeper sanitizers: ${TK_SANITIZER_FLAGS}")
endif()

# tk_target_sanitizers(<target>) compiles and links <target> with the sanitizers the options select.
function(tk_target_sanitizers target)
    if(NOT TK_SANITIZER_FLAGS)
        return()
    endif()
    target_compile_options(${target} PRIVATE ${TK_SANITIZER_FLAGS})
    target_link_options(${target} PRIVATE ${TK_SANITIZER_FLAGS})
endfunction()

# tk_sanitizer_test_environment(<out_var>) sets <out_var> to the environment a test runs with under the selected
# sanitizers: stop at the first report, with a stack trace, and check for leaks at exit.
function(tk_sanitizer_test_environment out_var)
    set(environment "")
    if(TK_ASAN)
        list(APPEND environment "ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1")
        # ASan makes every allocation several times dearer: the leak test's 100,000 resumptions run as 25,000,
        # still two orders of magnitude above what one leaked session per resumption would show.
        list(APPEND environment "TK_LEAK_SCALE_DOWN=4")
    endif()
    if(TK_UBSAN)
        list(APPEND environment "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
    endif()
    set(${out_var} "${environment}" PARENT_SCOPE)
endfunction()

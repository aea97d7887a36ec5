# TkCompilerSettings.cmake: the language level, warnings and symbol visibility that every TicketKeeper target
# compiles with. Flags are set per target, never through CMAKE_C_FLAGS, so that a parent project's settings and
# ours do not leak into each other.

include_guard(GLOBAL)

# tk_target_warnings(<target>) turns on the warning set of every TicketKeeper build (the C tests' and the Maven
# build's, which drives CMake) and makes every warning an error.
function(tk_target_warnings target)
    target_compile_options(${target} PRIVATE
        "$<$<C_COMPILER_ID:GNU,Clang,AppleClang>:-Wall;-Wextra;-Werror>"
        "$<$<C_COMPILER_ID:MSVC>:/W4;/WX>")
endfunction()

# tk_target_reproducible(<target>) keeps the checkout's path out of <target>'s output (debug information, __FILE__,
# and so the GNU build id, which hashes them): two builds of the same sources in different directories give the
# same bytes (bin/release-check compares the jar's shims of two such builds). Everything a build reads from the
# repository or writes under it (target/platforms/prefix, the build directories) lies under the source directory.
function(tk_target_reproducible target)
    target_compile_options(${target} PRIVATE
        "$<$<C_COMPILER_ID:GNU,Clang,AppleClang>:-ffile-prefix-map=${PROJECT_SOURCE_DIR}/=>")
endfunction()

# tk_target_c_defaults(<target>) compiles <target> as strict C11 (-std=c11) with hidden
# symbols by default, so that only declarations marked TK_EXPORT leave a shared library.
function(tk_target_c_defaults target)
    set_target_properties(${target} PROPERTIES
        C_STANDARD 11
        C_STANDARD_REQUIRED ON
        C_EXTENSIONS OFF
        C_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON)
    tk_target_warnings(${target})
    tk_target_reproducible(${target})
endfunction()

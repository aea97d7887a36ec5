/* tk_test.h: the checks shared by the C unit tests. No framework: each test file is a program whose main() runs
 * its test functions with TK_RUN and returns 0. A failed check prints where and what failed and ends the program
 * with a non-zero status at once, so later checks never run on a broken state. */

#ifndef TK_TEST_H
#define TK_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(condition)                                                                   \
    do {                                                                                   \
        if (!(condition)) {                                                                \
            fprintf(stderr, "%s:%d: %s: CHECK failed: %s\n", __FILE__, __LINE__, __func__, \
                    #condition);                                                           \
            exit(EXIT_FAILURE);                                                            \
        }                                                                                  \
    } while (0)

/* CHECK_EQ compares two integers and prints both when they differ. */
#define CHECK_EQ(actual, expected)                                                                         \
    do {                                                                                                   \
        int64_t tk_actual_ = (int64_t)(actual);                                                            \
        int64_t tk_expected_ = (int64_t)(expected);                                                        \
        if (tk_actual_ != tk_expected_) {                                                                  \
            fprintf(stderr, "%s:%d: %s: CHECK_EQ failed: %s is %" PRId64 ", expected %s (%" PRId64 ")\n", \
                    __FILE__, __LINE__, __func__, #actual, tk_actual_, #expected, tk_expected_);          \
            exit(EXIT_FAILURE);                                                                            \
        }                                                                                                  \
    } while (0)

#define TK_RUN(test)                \
    do {                            \
        test();                     \
        printf("ok %s\n", #test);   \
        fflush(stdout);             \
    } while (0)

/* TK_RUN_VERSION runs a test that takes a protocol version (TLS1_2_VERSION or TLS1_3_VERSION) and names both. */
#define TK_RUN_VERSION(test, version)                                                                   \
    do {                                                                                                \
        test(version);                                                                                  \
        printf("ok %s (%s)\n", #test, (version) == TLS1_2_VERSION ? "TLS 1.2" : "TLS 1.3");             \
        fflush(stdout);                                                                                 \
    } while (0)

#endif /* TK_TEST_H */

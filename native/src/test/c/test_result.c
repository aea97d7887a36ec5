/* test_result.c: the descriptions of result codes (tk_result.c), through the shared library. */

#include <limits.h>
#include <string.h>

#include "ticketkeeper.h"
#include "tk_test.h"

static const char UNKNOWN[] = "unknown result code";

static void test_every_code_is_described(void)
{
    static const int codes[] = {TK_OK,           TK_ERR_NULL,    TK_ERR_NOMEM,         TK_ERR_OPENSSL,
                                TK_ERR_INSTALLED, TK_ERR_BAD_KEY, TK_ERR_DUPLICATE_KEY, TK_ERR_CLOSED,
                                TK_ERR_TOO_MANY_KEYS, TK_ERR_BAD_SESSION, TK_ERR_BAD_MODE, TK_ERR_NOT_INSTALLED};
    enum { COUNT = sizeof(codes) / sizeof(codes[0]) };
    for (size_t i = 0; i < COUNT; i++) {
        const char *text = tk_result_string(codes[i]);
        CHECK(text != NULL);
        CHECK(strlen(text) > 0);
        CHECK(strcmp(text, UNKNOWN) != 0);
        for (size_t j = 0; j < i; j++) {
            CHECK(strcmp(text, tk_result_string(codes[j])) != 0);
        }
    }
}

static void test_unknown_codes(void)
{
    static const int codes[] = {1, 2, TK_ERR_TOO_MANY_KEYS - 1, TK_ERR_NOT_INSTALLED - 1, -100, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const char *text = tk_result_string(codes[i]);
        CHECK(text != NULL);
        CHECK(strcmp(text, UNKNOWN) == 0);
    }
}

int main(void)
{
    TK_RUN(test_every_code_is_described);
    TK_RUN(test_unknown_codes);
    return 0;
}

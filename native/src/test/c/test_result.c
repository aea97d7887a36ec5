/* test_result.c: the API version and the descriptions of result codes (tk_result.c), through the shared library. */

#include <limits.h>
#include <string.h>

#include "ticketkeeper.h"
#include "tk_test.h"

static const char UNKNOWN[] = "unknown result code";

/* The codes and texts straight from the header's table, which the library's strings must follow. */
#define TK_RESULT_ROW(name, value, description) {name, value, description, #name},
static const struct {
    int code;
    int value;
    const char *description;
    const char *name;
} ROWS[] = {TK_RESULTS(TK_RESULT_ROW)};
#undef TK_RESULT_ROW
enum { ROW_COUNT = sizeof(ROWS) / sizeof(ROWS[0]) };

static void test_api_version(void)
{
    CHECK_EQ(tk_api_version(), TK_API_VERSION);
}

static void test_every_code_is_described_by_the_table(void)
{
    for (size_t i = 0; i < ROW_COUNT; i++) {
        const char *text = tk_result_string(ROWS[i].code);
        CHECK_EQ(ROWS[i].code, ROWS[i].value);
        CHECK(strcmp(text, ROWS[i].description) == 0);
        CHECK(strcmp(text, UNKNOWN) != 0);
        CHECK(i == 0 ? ROWS[i].code == TK_OK : ROWS[i].code < 0);
        for (size_t j = 0; j < i; j++) {
            CHECK(ROWS[i].code != ROWS[j].code);
            CHECK(strcmp(text, ROWS[j].description) != 0);
        }
    }
}

static void test_unknown_codes(void)
{
    static const int codes[] = {1, 2, -(int)ROW_COUNT, -100, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const char *text = tk_result_string(codes[i]);
        CHECK(text != NULL);
        CHECK(strcmp(text, UNKNOWN) == 0);
    }
}

int main(void)
{
    TK_RUN(test_api_version);
    TK_RUN(test_every_code_is_described_by_the_table);
    TK_RUN(test_unknown_codes);
    return 0;
}

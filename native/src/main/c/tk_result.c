/* tk_result.c: the library's API version and the descriptions of its result codes, both from the header. */

#include "ticketkeeper.h"

uint32_t tk_api_version(void)
{
    return TK_API_VERSION;
}

const char *tk_result_string(int result)
{
#define TK_RESULT_CASE(name, value, description) \
    case name:                                   \
        return description;

    switch (result) {
        TK_RESULTS(TK_RESULT_CASE)
    default:
        return "unknown result code";
    }
#undef TK_RESULT_CASE
}

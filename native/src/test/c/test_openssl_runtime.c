/* test_openssl_runtime.c: the tests run on the OpenSSL the build compiled against. A build for another OpenSSL
 * (bin/platform-tests: Debian bullseye's 1.1.1, trixie's 3.5 behind trixie's own loader) whose tests found the
 * system's libraries instead would pass without testing that version; this test fails it. */

#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include "ticketkeeper.h"
#include "tk_test.h"

static void test_runtime_matches_headers(void)
{
    printf("# built against %s, running on %s\n", OPENSSL_VERSION_TEXT, OpenSSL_version(OPENSSL_VERSION));
    /* Major and minor: 1.1 and 3.0 and 3.5 each differ there; patch releases may differ. */
    CHECK_EQ(OpenSSL_version_num() >> 20, OPENSSL_VERSION_NUMBER >> 20);
}

static void test_shim_loads(void)
{
    CHECK_EQ(tk_api_version(), TK_API_VERSION);
}

int main(void)
{
    TK_RUN(test_runtime_matches_headers);
    TK_RUN(test_shim_loads);
    return 0;
}

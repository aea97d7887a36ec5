/* fuzz_session_pem.c: the client cache's PEM import (tk_session_from_pem in tk_client_cache.c), which reads
 * session files from disk. Any bytes give TK_OK with a DER session that parses, or an error code; the output
 * buffer is never written past its capacity, whatever the input claims. */

#include <stdlib.h>
#include <string.h>

#include "tk_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[TK_SESSION_MAX_DER_LEN];
    size_t out_len = 0;
    int result = tk_session_from_pem(data, size, out, sizeof(out), &out_len);
    if (result != TK_OK) {
        return 0;
    }
    if (out_len == 0 || out_len > sizeof(out)) {
        abort();
    }
    SSL_SESSION *session = NULL;
    if (tk_session_from_der(out, out_len, &session) != TK_OK) {
        abort();
    }
    SSL_SESSION_free(session);
    return 0;
}

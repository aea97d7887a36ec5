/* fuzz_session_der.c: the external cache's answer path (tk_session_for_id in tk_session_der.c), which parses
 * whatever a session store returned for a session id. The input is split as the get callback sees it: the first
 * byte picks the id's length (0 to 32), the next bytes are the id asked for, the rest is the store's answer. A
 * session that comes back must carry that id and serialise again within the shim's bound. */

#include <stdlib.h>
#include <string.h>

#include "tk_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned int id_len = data[0] % (TK_SESSION_ID_MAX_LEN + 1);
    if (size < 1 + (size_t)id_len) {
        return 0;
    }
    const unsigned char *id = data + 1;
    const unsigned char *der = data + 1 + id_len;
    size_t der_len = size - 1 - id_len;

    SSL_SESSION *session = tk_session_for_id(der, der_len, id, id_len);
    if (session == NULL) {
        return 0;
    }
    unsigned int found_len = 0;
    const unsigned char *found = SSL_SESSION_get_id(session, &found_len);
    if (found_len != id_len || memcmp(found, id, id_len) != 0) {
        abort();
    }
    static unsigned char again[TK_SESSION_MAX_DER_LEN];
    (void)tk_session_to_der(session, again);
    SSL_SESSION_free(session);
    return 0;
}

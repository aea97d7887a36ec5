/* tk_result.c: human-readable result codes. */

#include "ticketkeeper.h"

const char *tk_result_string(int result)
{
    switch (result) {
    case TK_OK:
        return "ok";
    case TK_ERR_NULL:
        return "a required argument was NULL";
    case TK_ERR_NOMEM:
        return "out of memory";
    case TK_ERR_OPENSSL:
        return "an OpenSSL call failed";
    case TK_ERR_INSTALLED:
        return "the SSL_CTX already has a TicketKeeper handle";
    case TK_ERR_BAD_KEY:
        return "a key has an unsupported length or an all-zero secret";
    case TK_ERR_DUPLICATE_KEY:
        return "two keys share a name";
    case TK_ERR_CLOSED:
        return "the handle is closed";
    case TK_ERR_TOO_MANY_KEYS:
        return "too many keys";
    case TK_ERR_BAD_SESSION:
        return "the session bytes do not parse as an OpenSSL session";
    case TK_ERR_BAD_MODE:
        return "unknown session cache mode";
    case TK_ERR_NOT_INSTALLED:
        return "the handle is not installed on this SSL_CTX";
    default:
        return "unknown result code";
    }
}

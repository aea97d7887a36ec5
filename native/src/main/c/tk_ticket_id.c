/* tk_ticket_id.c: the identity of a presented TLS 1.3 ticket, for the early data view (each ticket's early data
 * once) and the session view (single-use tickets). */

#include <openssl/evp.h>

#include "tk_internal.h"

static const char TK_TICKET_ID_LABEL[] = "ticketkeeper ticket id";

/* Every TLS 1.3 ticket carries a PSK of its own (derived with the ticket's nonce, RFC 8446 section 4.6.1), which
 * OpenSSL holds as the resumed session's master key while it processes the ClientHello (from the ticket's
 * decryption, where the session ticket callback runs, to the early data callback): the same for every use of one
 * ticket, different for any two tickets. The ticket id is SHA-256 over a label and that PSK; the copy is cleansed.
 * (The ClientHello's pre_shared_key extension is not readable there: OpenSSL consumed it while parsing.) */
int tk_ticket_id(const SSL_SESSION *session, uint8_t out[TK_SHA256_LEN])
{
    unsigned char psk[SSL_MAX_MASTER_KEY_LENGTH];
    size_t psk_len = SSL_SESSION_get_master_key(session, psk, sizeof(psk));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int digest_len = 0;
    int ok = md != NULL && psk_len > 0 && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1
             && EVP_DigestUpdate(md, TK_TICKET_ID_LABEL, sizeof(TK_TICKET_ID_LABEL) - 1) == 1
             && EVP_DigestUpdate(md, psk, psk_len) == 1 && EVP_DigestFinal_ex(md, out, &digest_len) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_cleanse(psk, sizeof(psk));
    return ok && digest_len == TK_SHA256_LEN;
}

/* test_interop.c: tickets handed between this build of the shim and another, in real handshakes with a real peer:
 * each server is a tk_interop process, the client is `openssl s_client`, which keeps its session in its own file
 * (-sess_out, -sess_in) so that only the ticket travels between the servers, as in a fleet. The build registers
 * this test when TK_INTEROP_PEER names another build's tk_interop: bin/platform-tests runs the OpenSSL 1.1.1 build
 * and the 3.5 build each against the 3.0 build, so a ticket sealed through 1.1.1's HMAC_CTX callback opens through
 * 3's EVP_MAC callback under the same key, 3.5's and 3.0's open each other's, and a ticket from OpenSSL 3 on a
 * 1.1.1 server gives a full handshake (readable_by). Both key layouts (AES-256 with a 32-byte HMAC key, AES-128
 * with a 16-byte one), both TLS versions; a key with the same name and other secrets never resumes. */

/* popen, sockets: POSIX beside strict C11. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "ticketkeeper.h"
#include "tk_test.h"

enum { STAMP_TAG = 4242 };

static const char SESSION_FILE[] = "test_interop_session.pem";

typedef struct server {
    FILE *out;
    int port;
    unsigned long openssl; /* OpenSSL_version_num of the server's libcrypto */
} server;

/* What a tk_interop server reports for a connection. */
typedef struct served {
    int reused;
    int slot;
    int status;
    long long tag;
} served;

/* |program| is a command line: a build's tk_interop, possibly behind a launcher. */
static void server_start(server *s, const char *program, const char *version, const char *key)
{
    char command[4096];
    int len = snprintf(command, sizeof(command), "%s %s %s 1", program, version, key);
    CHECK(len > 0 && (size_t)len < sizeof(command));
    s->out = popen(command, "r");
    CHECK(s->out != NULL);
    CHECK_EQ(fscanf(s->out, " port %d openssl %lx", &s->port, &s->openssl), 2);
}

static served server_stop(server *s)
{
    served result;
    CHECK_EQ(fscanf(s->out, " reused %d slot %d status %d tag %lld", &result.reused, &result.slot, &result.status,
                    &result.tag),
             4);
    CHECK_EQ(pclose(s->out), 0);
    return result;
}

/* Connects `openssl s_client` with the session option |session| ("-sess_out FILE" or "-sess_in FILE") and returns
 * 1 when it reports a resumed session, 0 for a new one. */
static int s_client(const server *s, const char *version, const char *session_option)
{
    char command[4096];
    int len = snprintf(command, sizeof(command),
                       "openssl s_client -connect 127.0.0.1:%d -tls%s -ign_eof %s %s </dev/null 2>&1", s->port,
                       strcmp(version, "1.2") == 0 ? "1_2" : "1_3", session_option, SESSION_FILE);
    CHECK(len > 0 && (size_t)len < sizeof(command));
    FILE *out = popen(command, "r");
    CHECK(out != NULL);
    char line[1024];
    int reused = -1;
    while (fgets(line, sizeof(line), out) != NULL) {
        if (strncmp(line, "Reused, ", 8) == 0 || strncmp(line, "New, ", 5) == 0) {
            reused = line[0] == 'R';
        }
    }
    CHECK_EQ(pclose(out), 0);
    CHECK(reused >= 0);
    return reused;
}

/* OpenSSL 3 writes the key exchange group into every session ([19] kex_group in the DER that a ticket carries),
 * a field OpenSSL 1.1.1 cannot read: the 1.1.1 shim finds the ticket's key and the MAC checks, but OpenSSL then
 * drops the session and the handshake is a full one, with a fresh ticket. Every other pairing reads the other's
 * sessions. */
static int readable_by(const server *sealer, const server *opener)
{
    return sealer->openssl < 0x30000000UL || opener->openssl >= 0x30000000UL;
}

static void hand_over(const char *sealer, const char *opener, const char *version, const char *key)
{
    server sealing;
    server_start(&sealing, sealer, version, key);
    CHECK_EQ(s_client(&sealing, version, "-sess_out"), 0);
    served sealed = server_stop(&sealing);
    CHECK_EQ(sealed.reused, 0);

    server opening;
    server_start(&opening, opener, version, key);
    int readable = readable_by(&sealing, &opening);
    CHECK_EQ(s_client(&opening, version, "-sess_in"), readable);
    served opened = server_stop(&opening);
    CHECK_EQ(opened.reused, readable);
    CHECK_EQ(opened.slot, 0);
    CHECK_EQ(opened.status, readable ? TK_TICKET_OPENED : TK_TICKET_NOT_OPENED);
    CHECK_EQ(opened.tag, readable ? STAMP_TAG : 0);

    /* The key's name is known, its secrets are not: the MAC check fails and the handshake is a full one. */
    server forged;
    server_start(&forged, opener, version, "other");
    CHECK_EQ(s_client(&forged, version, "-sess_in"), 0);
    served refused = server_stop(&forged);
    CHECK_EQ(refused.reused, 0);
    CHECK_EQ(refused.slot, 0);
    CHECK_EQ(refused.status, TK_TICKET_NOT_OPENED);
    remove(SESSION_FILE);
}

static void test_sealed_here_opened_by_peer(const char *version)
{
    hand_over(TK_INTEROP_HERE, TK_INTEROP_PEER, version, "aes256");
    hand_over(TK_INTEROP_HERE, TK_INTEROP_PEER, version, "aes128");
}

static void test_sealed_by_peer_opened_here(const char *version)
{
    hand_over(TK_INTEROP_PEER, TK_INTEROP_HERE, version, "aes256");
    hand_over(TK_INTEROP_PEER, TK_INTEROP_HERE, version, "aes128");
}

int main(void)
{
    static const char *const versions[] = {"1.2", "1.3"};
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        test_sealed_here_opened_by_peer(versions[i]);
        printf("ok test_sealed_here_opened_by_peer (TLS %s)\n", versions[i]);
        test_sealed_by_peer_opened_here(versions[i]);
        printf("ok test_sealed_by_peer_opened_here (TLS %s)\n", versions[i]);
    }
    return 0;
}

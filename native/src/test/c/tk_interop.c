/* tk_interop.c: a TLS server on a loopback port with the shim in charge of its tickets, for test_interop.c, which
 * runs two builds' copies (one linked to OpenSSL 1.1.1, one to OpenSSL 3) as separate processes and hands a ticket
 * from one to the other through `openssl s_client -sess_out/-sess_in`: the client keeps its session in its own
 * format, and only the ticket travels, as between two servers of a fleet.
 *
 *   tk_interop VERSION KEY COUNT
 *
 * VERSION is 1.2 or 1.3; KEY is aes256 (name | HMAC-SHA256 32 | AES-256 32, the 80-byte layout), aes128 (16-byte
 * HMAC key, AES-128, the 48-byte layout) or other (the same name with other secrets). It prints "port N openssl V"
 * once it listens on 127.0.0.1:N (V: OpenSSL_version_num in hex), then for each of COUNT connections one line
 * "reused R slot S status T tag G": whether
 * the connection resumed, the slot the open upcall was asked about (-1: none, or an unknown name), the ticket
 * status the session upcall saw (tk_ticket_status, 0: none) and the stamp's tag (0: none). Each server makes its
 * own certificate: resuming needs only the ticket key and the session id context. Exit status 0, or 2 on errors. */

/* popen, sockets: POSIX beside strict C11. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "ticketkeeper.h"
#include "tk_test_tls.h"

enum { STAMP_TAG = 4242, EXIT_BROKEN = 2 };

static struct {
    int32_t slot;
    int32_t status;
    int64_t tag;
} seen;

static int32_t up_seal(void *user, int64_t context_id, int64_t generation, int32_t *out_slot, int64_t *out_lifetime_s)
{
    (void)user;
    (void)context_id;
    (void)generation;
    (void)out_lifetime_s;
    *out_slot = 0;
    return 1;
}

static int32_t up_open(void *user, int64_t context_id, int64_t generation, int32_t slot)
{
    (void)user;
    (void)context_id;
    (void)generation;
    seen.slot = slot;
    return slot < 0 ? TK_KEY_REJECT : TK_KEY_USE;
}

static int32_t up_stamp(void *user, int64_t context_id, tk_ticket_stamp *out_stamp, uint32_t *out_max_early_data)
{
    (void)out_max_early_data;
    (void)user;
    (void)context_id;
    out_stamp->issued_at_ms = 1700000000000;
    out_stamp->key_generation = 1;
    out_stamp->tag = STAMP_TAG;
    return 1;
}

static int32_t up_session(void *user, const tk_session_view *view)
{
    (void)user;
    seen.status = view->status;
    seen.tag = view->has_stamp ? view->stamp.tag : 0;
    int opened = view->status == TK_TICKET_OPENED || view->status == TK_TICKET_OPENED_RENEW;
    return opened ? TK_SESSION_USE : TK_SESSION_IGNORE_RENEW;
}

static const tk_upcalls UPCALLS = {NULL, up_seal, up_open, up_stamp, up_session, NULL};

static int parse_key(const char *kind, tk_key *key)
{
    memset(key, 0, sizeof(*key));
    memcpy(key->name, "interop-key-0001", TK_KEY_NAME_LEN);
    int other = strcmp(kind, "other") == 0;
    if (!other && strcmp(kind, "aes256") != 0 && strcmp(kind, "aes128") != 0) {
        return 0;
    }
    key->hmac_key_len = strcmp(kind, "aes128") == 0 ? 16 : 32;
    key->aes_key_len = key->hmac_key_len;
    memset(key->hmac_key, other ? 0x33 : 0x11, key->hmac_key_len);
    memset(key->aes_key, other ? 0x44 : 0x22, key->aes_key_len);
    return 1;
}

static int parse_version(const char *text, int *out_version)
{
    *out_version = strcmp(text, "1.2") == 0 ? TLS1_2_VERSION : strcmp(text, "1.3") == 0 ? TLS1_3_VERSION : 0;
    return *out_version != 0;
}

/* Returns a socket listening on an ephemeral loopback port, or -1. */
static int listen_on_loopback(int *out_port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address;
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(address);
    int ok = fd >= 0 && bind(fd, (struct sockaddr *)&address, sizeof(address)) == 0 && listen(fd, 4) == 0
             && getsockname(fd, (struct sockaddr *)&address, &len) == 0;
    if (!ok) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    *out_port = ntohs(address.sin_port);
    return fd;
}

/* One connection: handshake, one byte of application data (after the TLS 1.3 tickets), close_notify. */
static void serve_one(SSL_CTX *server, int listener)
{
    int fd = accept(listener, NULL, NULL);
    SSL *ssl = fd < 0 ? NULL : SSL_new(server);
    memset(&seen, 0, sizeof(seen));
    seen.slot = -1;
    int reused = 0;
    if (ssl != NULL && SSL_set_fd(ssl, fd) == 1 && SSL_accept(ssl) == 1) {
        reused = SSL_session_reused(ssl);
        SSL_write(ssl, "k", 1);
        SSL_shutdown(ssl);
    }
    ERR_clear_error();
    printf("reused %d slot %d status %d tag %lld\n", reused, seen.slot, seen.status, (long long)seen.tag);
    fflush(stdout);
    SSL_free(ssl);
    if (fd >= 0) {
        close(fd);
    }
}

static int serve(SSL_CTX *server, int count)
{
    int port = 0;
    int listener = listen_on_loopback(&port);
    if (listener < 0) {
        return EXIT_BROKEN;
    }
    printf("port %d openssl %lx\n", port, (unsigned long)OpenSSL_version_num());
    fflush(stdout);
    for (int i = 0; i < count; i++) {
        serve_one(server, listener);
    }
    close(listener);
    return 0;
}

static int run(int version, const tk_key *key, int count)
{
    SSL_CTX *server = tk_test_server_ctx(version);
    tk_handle *handle = NULL;
    int result = EXIT_BROKEN;
    if (server != NULL && tk_handle_new(&UPCALLS, NULL, &handle) == TK_OK && tk_attach(handle, server, 1) == TK_OK
        && tk_publish_keys(handle, key, 1, 1) == TK_OK) {
        result = serve(server, count);
    }
    tk_close(handle);
    SSL_CTX_free(server);
    return result;
}

int main(int argc, char **argv)
{
    tk_key key;
    int version = 0;
    int usable = argc == 4 && atoi(argv[3]) > 0 && parse_version(argv[1], &version) && parse_key(argv[2], &key);
    if (!usable) {
        fprintf(stderr, "usage: tk_interop 1.2|1.3 aes256|aes128|other COUNT\n");
        return EXIT_BROKEN;
    }
    fprintf(stderr, "tk_interop: TLS %s, key %s, %s\n", argv[1], argv[2], OpenSSL_version(OPENSSL_VERSION));
    int result = run(version, &key, atoi(argv[3]));
    OPENSSL_cleanse(&key, sizeof(key));
    return result;
}

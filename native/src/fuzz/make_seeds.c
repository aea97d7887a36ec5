/* make_seeds.c: writes the fuzzers' seed corpus from real objects: stamps as the shim encodes them, and the DER
 * and PEM of sessions from real TLS 1.2 and TLS 1.3 handshakes. Run by bin/fuzz --seeds; its output is committed
 * under native/src/fuzz/corpus. Usage: make_seeds <corpus directory> */

#include <stdio.h>
#include <string.h>

#include "tk_internal.h"
#include "tk_test.h"
#include "tk_test_tls.h"

static void write_file(const char *dir, const char *name, const void *bytes, size_t len)
{
    char path[4096];
    CHECK(snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path));
    FILE *file = fopen(path, "wb");
    CHECK(file != NULL);
    CHECK(fwrite(bytes, 1, len, file) == len);
    CHECK(fclose(file) == 0);
}

/* Each stamp in the current version (stamp-v2-N) and as a shim of API version 2 wrote it (stamp-N: version 1, the
 * same fields without the host id), since tickets with either are in circulation. */
static void write_stamps(const char *dir)
{
    static const tk_ticket_stamp stamps[] = {
        {1700000000123, 5, 100, 0x6b2c9e1d4f3a5b70}, {0, 0, 0, 0}, {-1, INT64_MAX, INT64_MIN, -1}};
    for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++) {
        unsigned char wire[TK_STAMP_WIRE_LEN];
        tk_stamp_encode(&stamps[i], wire);
        char name[32];
        snprintf(name, sizeof(name), "stamp-v2-%zu", i);
        write_file(dir, name, wire, sizeof(wire));
        wire[0] = 1;
        snprintf(name, sizeof(name), "stamp-%zu", i);
        write_file(dir, name, wire, TK_STAMP_WIRE_V1_LEN);
    }
}

/* A session from a real handshake, as the server's cache would store it: id-length byte, id, DER. */
static void write_session(const char *der_dir, const char *pem_dir, int version, const char *name)
{
    SSL_CTX *server = tk_test_server_ctx(version);
    SSL_CTX *client = tk_test_client_ctx(version);
    CHECK(server != NULL && client != NULL);
    tk_test_conn conn;
    CHECK(tk_test_connect(server, client, NULL, &conn));
    static unsigned char der[TK_SESSION_MAX_DER_LEN];
    uint32_t der_len = tk_session_to_der(conn.session, der);
    CHECK(der_len > 0);
    unsigned int id_len = 0;
    const unsigned char *id = SSL_SESSION_get_id(conn.session, &id_len);
    static unsigned char framed[1 + TK_SESSION_ID_MAX_LEN + TK_SESSION_MAX_DER_LEN];
    framed[0] = (unsigned char)id_len;
    memcpy(framed + 1, id, id_len);
    memcpy(framed + 1 + id_len, der, der_len);
    write_file(der_dir, name, framed, 1 + id_len + der_len);

    static uint8_t pem[4 * TK_SESSION_MAX_DER_LEN];
    size_t pem_len = 0;
    CHECK_EQ(tk_session_to_pem(der, der_len, pem, sizeof(pem), &pem_len), TK_OK);
    write_file(pem_dir, name, pem, pem_len);
    tk_test_conn_clear(&conn);
    SSL_CTX_free(server);
    SSL_CTX_free(client);
}

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    char stamp_dir[4096];
    char der_dir[4096];
    char pem_dir[4096];
    snprintf(stamp_dir, sizeof(stamp_dir), "%s/stamp", argv[1]);
    snprintf(der_dir, sizeof(der_dir), "%s/session_der", argv[1]);
    snprintf(pem_dir, sizeof(pem_dir), "%s/session_pem", argv[1]);
    write_stamps(stamp_dir);
    write_session(der_dir, pem_dir, TLS1_2_VERSION, "tls12");
    write_session(der_dir, pem_dir, TLS1_3_VERSION, "tls13");
    return 0;
}

/* ticketkeeper.h: the C API of the TicketKeeper shim.
 *
 * The shim installs OpenSSL's session ticket callbacks on a server SSL_CTX and turns each callback into exactly
 * one call ("upcall") of a function pointer that the host application registers, usually a Java upcall stub made
 * with Panama FFM. The upcalls carry small scalars and return a decision; the shim does all per-ticket crypto
 * set-up (IV, cipher and MAC initialisation) itself from a key table that the application publishes. Key bytes
 * never cross the boundary per handshake.
 *
 * This header uses plain C types only (no OpenSSL types) so that binding generators such as jextract read it
 * without OpenSSL's headers; an SSL_CTX is passed as an opaque pointer. */

#ifndef TICKETKEEPER_H
#define TICKETKEEPER_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define TK_EXPORT __attribute__((visibility("default")))
#else
#define TK_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes of the functions below. Zero is success; every failure is negative. */
enum {
    TK_OK = 0,
    TK_ERR_NULL = -1,          /* a required pointer argument was NULL */
    TK_ERR_NOMEM = -2,         /* an allocation failed */
    TK_ERR_OPENSSL = -3,       /* an OpenSSL call failed */
    TK_ERR_INSTALLED = -4,     /* the SSL_CTX already has a TicketKeeper handle */
    TK_ERR_BAD_KEY = -5,       /* a key has an unsupported length or is all zero */
    TK_ERR_DUPLICATE_KEY = -6, /* two keys share a name */
    TK_ERR_CLOSED = -7,        /* the handle is closed */
    TK_ERR_TOO_MANY_KEYS = -8, /* more than TK_MAX_KEYS keys */
    /* -20 to -29: the session cache. */
    TK_ERR_BAD_SESSION = -20,  /* session bytes that OpenSSL cannot parse */
    TK_ERR_BAD_MODE = -21,     /* a cache mode other than the TK_CACHE_* values */
    TK_ERR_NOT_INSTALLED = -22 /* the handle is not the one installed on this SSL_CTX */
};

/* Decisions of the key upcalls. They are the return values of OpenSSL's ticket key callback.
 *
 * WARNING: OpenSSL's convention is irregular here: 2 does not mean "failure" but "use this key and send the
 * client a renewed ticket". 0 means "no usable key": on decrypt a full handshake follows, on encrypt the client
 * gets no ticket. Negative values fail the handshake. */
enum {
    TK_KEY_ABORT = -1,
    TK_KEY_REJECT = 0,
    TK_KEY_USE = 1,
    TK_KEY_RENEW = 2
};

/* Decisions of the session upcall. They mirror OpenSSL's SSL_TICKET_RETURN values. USE and USE_RENEW are only
 * honoured when a ticket was decrypted; otherwise the shim turns them into TK_SESSION_IGNORE_RENEW. */
enum {
    TK_SESSION_ABORT = 0,
    TK_SESSION_IGNORE = 1,
    TK_SESSION_IGNORE_RENEW = 2,
    TK_SESSION_USE = 3,
    TK_SESSION_USE_RENEW = 4
};

/* Ticket decryption status passed in tk_session_view.status, translated from OpenSSL's SSL_TICKET_STATUS. */
enum {
    TK_TICKET_EMPTY = 1,         /* the client sent an empty ticket extension (TLS 1.2): it asks for a ticket */
    TK_TICKET_NO_DECRYPT = 2,    /* the ticket could not be used: unknown or rejected key, bad MAC, malformed */
    TK_TICKET_SUCCESS = 3,       /* the ticket was decrypted */
    TK_TICKET_SUCCESS_RENEW = 4  /* the ticket was decrypted and the key decision asked for a renewed ticket */
};

#define TK_KEY_NAME_LEN 16
#define TK_MAX_SECRET_LEN 32
#define TK_MAX_KEYS 1000000
#define TK_SHA256_LEN 32
#define TK_SHA1_LEN 20

/* tk_key is one ticket key as the application publishes it. The name is written into every ticket the key
 * seals. hmac_key_len is 16 or 32 (HMAC-SHA256); aes_key_len is 16 (AES-128-CBC) or 32 (AES-256-CBC). */
typedef struct tk_key {
    uint8_t name[TK_KEY_NAME_LEN];
    uint8_t hmac_key[TK_MAX_SECRET_LEN];
    uint8_t aes_key[TK_MAX_SECRET_LEN];
    uint32_t hmac_key_len;
    uint32_t aes_key_len;
} tk_key;

/* tk_ticket_stamp is the application data the shim stores in every ticket it issues (through
 * SSL_SESSION_set1_ticket_appdata), so that later decisions can see when and under what the ticket was made. */
typedef struct tk_ticket_stamp {
    int64_t issued_at_ms;   /* the application's clock when the ticket was issued, in ms since the epoch */
    int64_t key_generation; /* the application's key ring generation at issue time */
    int64_t tag;            /* an application-defined tag */
} tk_ticket_stamp;

/* tk_session_view describes a presented ticket to the session upcall. */
typedef struct tk_session_view {
    int32_t status;              /* one of TK_TICKET_* */
    int32_t protocol_version;    /* the negotiated protocol, e.g. 0x0303 for TLS 1.2, 0x0304 for TLS 1.3 */
    int32_t has_peer_certificate; /* 1 if the session carries a client certificate, else 0 */
    int32_t has_stamp;           /* 1 if stamp holds the ticket's application data, else 0 */
    int64_t session_time_s;      /* OpenSSL's creation time of the session, seconds since the epoch; 0 if none */
    int64_t key_generation;      /* the generation of the key table that decrypted the ticket, or -1 */
    int32_t key_slot;            /* the slot of the key that decrypted the ticket in that table, or -1 */
    int32_t has_peer_sha256;     /* 1 if peer_sha256 holds the client certificate's SHA-256 fingerprint, else 0 */
    tk_ticket_stamp stamp;
    uint8_t peer_sha256[TK_SHA256_LEN]; /* computed only when the session carries a client certificate */
} tk_session_view;

/* tk_encrypt_fn chooses the key that seals a new ticket. |generation| identifies the published key table the
 * shim is reading. It returns the slot (0-based index into that table) of the key to use, or a negative value for
 * "issue no ticket". The shim sets |*out_lifetime_s| to -1 before the call; an upcall that sets it to a positive
 * number of seconds lowers the session's timeout to at most that value before the ticket is built, and with it
 * the ticket lifetime hint (TLS 1.2) or ticket_lifetime (TLS 1.3) that the client receives. |out_lifetime_s| is
 * valid only during the call.
 *
 * tk_decrypt_fn decides on a presented ticket whose key name the shim looked up in the table |generation|:
 * |slot| is the key's slot, or -1 if no key has that name. It returns one of TK_KEY_*; TK_KEY_USE and
 * TK_KEY_RENEW are treated as TK_KEY_REJECT when |slot| is -1.
 *
 * tk_generate_fn fills |out_stamp| (zeroed by the shim, valid only during the call) for a ticket about to be
 * issued. It returns 1 to store the stamp, 0 to store none.
 *
 * tk_session_fn makes the session-level decision on a presented ticket. |view| is valid only during the call.
 * It returns one of TK_SESSION_*.
 *
 * All four run on the thread that drives the handshake, which may be any thread, including one the host
 * runtime has never seen. They must not fail by unwinding: an upcall must catch everything and return a value. */
typedef int32_t (*tk_encrypt_fn)(int64_t generation, int64_t *out_lifetime_s);
typedef int32_t (*tk_decrypt_fn)(int64_t generation, int32_t slot);
typedef int32_t (*tk_generate_fn)(tk_ticket_stamp *out_stamp);
typedef int32_t (*tk_session_fn)(const tk_session_view *view);

/* tk_upcalls holds the application's upcalls. Every member must be set. */
typedef struct tk_upcalls {
    tk_encrypt_fn encrypt;
    tk_decrypt_fn decrypt;
    tk_generate_fn generate;
    tk_session_fn session;
} tk_upcalls;

/* tk_handle is TicketKeeper's state for one SSL_CTX. It is reference counted: the SSL_CTX holds one reference
 * (dropped when the SSL_CTX is freed) and the caller of tk_install holds one (dropped by tk_close). */
typedef struct tk_handle tk_handle;

/* tk_stats holds counters of events the shim handles without asking the application. */
typedef struct tk_stats {
    uint64_t closed_callbacks; /* callbacks that arrived after tk_close and got the safe outcome */
    uint64_t crypto_errors;    /* OpenSSL failures while setting up a ticket's cipher or MAC */
    uint64_t bad_decisions;    /* upcall results outside their documented range, mapped to the safe outcome */
} tk_stats;

/* tk_install installs TicketKeeper on the server context |ssl_ctx| (an SSL_CTX pointer): the ticket key callback
 * and the session ticket callbacks.
 *
 * WARNING: OpenSSL runs the ticket key callback of the context a connection started on, but the shim finds its
 * handle through the connection's current context. A servername callback that switches contexts with
 * SSL_set_SSL_CTX must switch to one without ticket callbacks, or tickets are not issued on those connections. |upcalls| is copied; the functions it names must stay callable until tk_close
 * returns. Until a key table is published, no tickets are issued and presented tickets give full handshakes.
 *
 * On success it sets |*out_handle| and returns TK_OK. It returns TK_ERR_NULL, TK_ERR_NOMEM, TK_ERR_OPENSSL, or
 * TK_ERR_INSTALLED when |ssl_ctx| already carries a handle. It must not race with handshakes on |ssl_ctx|. */
TK_EXPORT int tk_install(void *ssl_ctx, const tk_upcalls *upcalls, tk_handle **out_handle);

/* tk_publish_keys replaces the key table with a copy of |keys[0..count-1]| under |generation|, which is passed
 * to the encrypt and decrypt upcalls of every handshake that reads this table. Handshakes on other threads see
 * the old table or the new one, never a mix. When it returns, no handshake can still hold the old table and its
 * key material has been cleansed. The caller keeps ownership of |keys| (and should cleanse it).
 *
 * It returns TK_OK, TK_ERR_NULL, TK_ERR_NOMEM, TK_ERR_CLOSED, TK_ERR_TOO_MANY_KEYS, TK_ERR_BAD_KEY (a length
 * other than 16 or 32, or an all-zero secret) or TK_ERR_DUPLICATE_KEY; on failure the old table stays in force.
 * Publications on one handle are serialised; it may be called from any thread but not from inside an upcall. */
TK_EXPORT int tk_publish_keys(tk_handle *handle, const tk_key *keys, size_t count, int64_t generation);

/* tk_get_stats copies the shim's counters into |*out_stats|. It returns TK_OK or TK_ERR_NULL. */
TK_EXPORT int tk_get_stats(const tk_handle *handle, tk_stats *out_stats);

/* tk_close stops all upcalls from |handle|, cleanses its key table and releases the caller's reference. When it
 * returns, no upcall is running and none will start: the upcall functions may be freed. Later handshakes on the
 * SSL_CTX get no ticket and presented tickets give full handshakes. The rest of the handle is freed with the
 * SSL_CTX. It must not be called from inside an upcall. tk_close(NULL) is a no-op. */
TK_EXPORT void tk_close(tk_handle *handle);

/* tk_set_session_id_context sets the session id context of the server context |ssl_ctx| (an SSL_CTX pointer)
 * to |context[0..len-1]|, which is copied. OpenSSL resumes a session, from a ticket or the cache, only when the
 * session's context equals the server's, so every server that shares tickets must use the same context. |len| is
 * at most 32. It returns TK_OK, TK_ERR_NULL or TK_ERR_OPENSSL. It must not race with handshakes on |ssl_ctx|. */
TK_EXPORT int tk_set_session_id_context(void *ssl_ctx, const uint8_t *context, size_t len);

/* tk_nginx_session_id_context computes the session id context nginx gives the server context |ssl_ctx| and
 * writes its TK_SHA1_LEN bytes to |out_context|: SHA-1 over |prefix[0..prefix_len-1]| (nginx's HTTP module uses
 * "HTTP", the stream module "STREAM"), then the SHA-1 digest of the context's certificate, then the SHA-1 digest
 * of each name in its client CA list (SSL_CTX_get_client_CA_list), in order. nginx digests each of its
 * certificates in configuration order; this function sees only the context's current certificate, so a context
 * with several certificates (RSA and ECDSA) needs the context computed from all of them by the caller. It does
 * not change |ssl_ctx|. It returns TK_OK, TK_ERR_NULL, or TK_ERR_OPENSSL when a digest fails. */
TK_EXPORT int tk_nginx_session_id_context(const void *ssl_ctx, const uint8_t *prefix, size_t prefix_len,
                                          uint8_t out_context[TK_SHA1_LEN]);

/* Session cache (tk_cache.c).
 *
 * A server SSL_CTX keeps stateful sessions (TLS 1.2 session ids, TLS 1.3 stateful tickets) in an external store
 * that the application provides through three upcalls. Sessions cross the boundary as DER bytes
 * (i2d_SSL_SESSION / d2i_SSL_SESSION run in the shim), at most TK_SESSION_MAX_DER_LEN long. A client SSL_CTX can
 * hand its new sessions to the application the same way, tagged with a peer number the application chose. */

#define TK_SESSION_ID_MAX_LEN 32
#define TK_SESSION_MAX_DER_LEN 16384

/* Cache modes of tk_cache_install. */
enum {
    TK_CACHE_EXTERNAL = 1, /* OpenSSL's internal cache is off: every lookup asks the store */
    TK_CACHE_INTERNAL = 2  /* OpenSSL's internal cache sits in front of the store: the store is asked on a miss */
};

/* tk_cache_new_fn offers a new session to the store: |id| (|id_len| bytes, at most TK_SESSION_ID_MAX_LEN) and its
 * DER form |der| (|der_len| bytes), both valid only during the call, which the session keeps for |timeout_s|
 * seconds from now. The return value is ignored (OpenSSL keeps the session either way).
 *
 * tk_cache_get_fn looks up the session |id|. It writes the session's DER form into |out_der|, which has room for
 * |der_capacity| (TK_SESSION_MAX_DER_LEN) bytes, and returns its length; it returns 0 for a miss. A return value
 * below 0 or above |der_capacity| counts as a bad decision and a miss.
 *
 * tk_cache_remove_fn tells the store that OpenSSL dropped the session |id| (it failed, or timed out in the internal
 * cache). The return value is ignored.
 *
 * They run on the handshake thread, like the ticket upcalls, and must not fail by unwinding. */
typedef int32_t (*tk_cache_new_fn)(const uint8_t *id, uint32_t id_len, const uint8_t *der, uint32_t der_len,
                                   int64_t timeout_s);
typedef int32_t (*tk_cache_get_fn)(const uint8_t *id, uint32_t id_len, uint8_t *out_der, uint32_t der_capacity);
typedef int32_t (*tk_cache_remove_fn)(const uint8_t *id, uint32_t id_len);

/* tk_cache_upcalls holds the store's upcalls. Every member must be set. */
typedef struct tk_cache_upcalls {
    tk_cache_new_fn new_session;
    tk_cache_get_fn get_session;
    tk_cache_remove_fn remove_session;
} tk_cache_upcalls;

/* tk_cache_stats counts what the shim's cache callbacks decided without asking the store. */
typedef struct tk_cache_stats {
    uint64_t stateless_skipped; /* TLS 1.3 sessions not offered to the store because a stateless ticket holds them */
    uint64_t too_large;         /* sessions longer than TK_SESSION_MAX_DER_LEN, not offered to the store */
    uint64_t bad_sessions;      /* bytes from the store that did not parse, or held another session id: misses */
    uint64_t closed_callbacks;  /* cache callbacks after tk_close, answered as misses */
} tk_cache_stats;

/* tk_cache_install puts OpenSSL's server session cache of |ssl_ctx| behind |upcalls| in mode |mode| (a TK_CACHE_*
 * value): it sets the cache mode (SSL_SESS_CACHE_SERVER, with SSL_SESS_CACHE_NO_INTERNAL for TK_CACHE_EXTERNAL)
 * and registers the new, get and remove session callbacks. |handle| must be the handle tk_install returned for
 * |ssl_ctx|; its epoch and its close cover these upcalls too, and after tk_close lookups are misses.
 *
 * Under TLS 1.3 only stateful tickets (SSL_OP_NO_TICKET set) reach the store: a stateless ticket carries its
 * session, so the dummy session OpenSSL reports for it is not stored (tk_cache_stats.stateless_skipped).
 * A session from get_session is handed to OpenSSL with *copy = 0: OpenSSL owns the reference d2i_SSL_SESSION made.
 *
 * WARNING: OpenSSL calls the remove callback for every session left in its internal cache when the SSL_CTX is
 * freed. Close the handle first (tk_close) so that this flush does not empty a store shared with other nodes.
 *
 * It returns TK_OK, TK_ERR_NULL, TK_ERR_BAD_MODE, TK_ERR_CLOSED, TK_ERR_OPENSSL, or TK_ERR_NOT_INSTALLED when
 * |handle| is not the handle of |ssl_ctx|. |upcalls| is copied. It must not race with handshakes on |ssl_ctx|. */
TK_EXPORT int tk_cache_install(tk_handle *handle, void *ssl_ctx, const tk_cache_upcalls *upcalls, int32_t mode);

/* tk_cache_get_stats copies the cache counters into |*out_stats|. It returns TK_OK or TK_ERR_NULL. */
TK_EXPORT int tk_cache_get_stats(const tk_handle *handle, tk_cache_stats *out_stats);

/* tk_cache_add_session parses the DER session |der| (|der_len| bytes) and adds it to the internal session cache
 * of |ssl_ctx| (SSL_CTX_add_session), for a warm start from persisted sessions. The cache keeps its own reference.
 * A session already in the cache is not an error. It returns TK_OK, TK_ERR_NULL, TK_ERR_BAD_SESSION or
 * TK_ERR_OPENSSL. */
TK_EXPORT int tk_cache_add_session(void *ssl_ctx, const uint8_t *der, size_t der_len);

/* tk_client_new_fn receives a new session of a client connection tagged |peer| by tk_client_tag: its DER form
 * |der| (|der_len| bytes, valid only during the call). The return value is ignored. It runs on the thread that
 * drives the connection (for TLS 1.3, inside SSL_read when the ticket arrives) and must not fail by unwinding. */
typedef int32_t (*tk_client_new_fn)(int64_t peer, const uint8_t *der, uint32_t der_len);

/* tk_client_cache_install sets the client session cache mode of |ssl_ctx| (SSL_SESS_CACHE_CLIENT with
 * SSL_SESS_CACHE_NO_INTERNAL_STORE) and its new session callback, which calls |new_session| for each new session
 * of a connection tagged with tk_client_tag (untagged connections are skipped). |new_session| must stay callable
 * as long as the context handshakes. It returns TK_OK, TK_ERR_NULL or TK_ERR_OPENSSL. */
TK_EXPORT int tk_client_cache_install(void *ssl_ctx, tk_client_new_fn new_session);

/* tk_client_tag tags the client connection |ssl| (an SSL pointer) with the peer number |peer| (> 0) that its new
 * sessions are reported under. It returns TK_OK, TK_ERR_NULL (also for peer <= 0) or TK_ERR_OPENSSL. */
TK_EXPORT int tk_client_tag(void *ssl, int64_t peer);

/* tk_client_offer parses the DER session |der| and sets it on the client connection |ssl| before its handshake
 * (SSL_set_session), so that the client offers it for resumption. The connection keeps its own reference. It
 * returns TK_OK, TK_ERR_NULL, TK_ERR_BAD_SESSION or TK_ERR_OPENSSL. */
TK_EXPORT int tk_client_offer(void *ssl, const uint8_t *der, size_t der_len);

/* tk_session_to_pem writes the DER session |der| as PEM (PEM_write_bio_SSL_SESSION) into |out_pem|, which has room
 * for |capacity| bytes, and sets |*out_len| to the PEM's length (no terminating NUL). With |out_pem| NULL it only
 * sets |*out_len|. tk_session_from_pem parses the first session in |pem| (PEM_read_bio_SSL_SESSION) and writes its
 * DER form the same way. Both return TK_OK, TK_ERR_NULL, TK_ERR_BAD_SESSION, TK_ERR_NOMEM (|capacity| too small;
 * |*out_len| holds the length needed) or TK_ERR_OPENSSL. */
TK_EXPORT int tk_session_to_pem(const uint8_t *der, size_t der_len, uint8_t *out_pem, size_t capacity,
                                size_t *out_len);
TK_EXPORT int tk_session_from_pem(const uint8_t *pem, size_t pem_len, uint8_t *out_der, size_t capacity,
                                  size_t *out_len);

/* tk_result_string returns a static, human-readable description of a TK_* result code. */
TK_EXPORT const char *tk_result_string(int result);

#ifdef __cplusplus
}
#endif

#endif /* TICKETKEEPER_H */

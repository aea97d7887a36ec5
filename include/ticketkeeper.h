/* ticketkeeper.h: the C API of the TicketKeeper shim.
 *
 * The shim installs OpenSSL's session ticket callbacks, and optionally its server session cache callbacks, on one
 * or more server SSL_CTXs and turns each callback into exactly one call ("upcall") of a function pointer that the
 * host application registers, usually a Java upcall stub made with Panama FFM or JNA. The upcalls carry small
 * scalars and return a decision; the shim does all per-ticket crypto set-up (IV, cipher and MAC initialisation)
 * itself from a key table that the application publishes. Key bytes never cross the boundary per handshake.
 *
 * This header uses plain C types only (no OpenSSL types) so that binding generators such as jextract read it
 * without OpenSSL's headers; SSL_CTX and SSL objects are passed as opaque pointers.
 *
 * Sections: versions and codes (every code a function returns or an upcall answers, in one place); keys and
 * stamps; upcalls; handles and contexts; the server session cache; the client session cache; session encodings. */

#ifndef TICKETKEEPER_H
#define TICKETKEEPER_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define TK_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define TK_EXPORT __attribute__((visibility("default")))
#else
#define TK_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Versions and codes.
 *
 * TK_API_VERSION is raised whenever a function, struct or constant of this header changes in a way that code built
 * against an older header would misread. tk_api_version returns the version the library was built with; a binding
 * must refuse a library whose version differs from the header it was generated from. */

#define TK_API_VERSION 6

/* tk_api_version returns TK_API_VERSION as the library saw it when it was compiled. */
TK_EXPORT uint32_t tk_api_version(void);

/* TK_RESULTS is the one table of result codes: name, value, and the description tk_result_string returns (the
 * function comments below name the codes they return; this table says what each means). Zero is success; every
 * failure is negative. TK_ERR_NOT_ATTACHED covers a context never attached to the handle and one detached from it;
 * TK_ERR_CONTEXT_FREED a context that was attached and that OpenSSL has freed since. */
#define TK_RESULTS(X)                                                                                     \
    X(TK_OK, 0, "ok")                                                                                     \
    X(TK_ERR_NULL, -1, "a required pointer argument was NULL")                                            \
    X(TK_ERR_BAD_ARG, -2, "an argument is outside its documented range")                                  \
    X(TK_ERR_NOMEM, -3, "out of memory")                                                                  \
    X(TK_ERR_BUFFER_TOO_SMALL, -4, "the output buffer is too small")                                      \
    X(TK_ERR_OPENSSL, -5, "an OpenSSL call failed")                                                       \
    X(TK_ERR_CLOSED, -6, "the handle is closed")                                                          \
    X(TK_ERR_ATTACHED, -7, "the SSL_CTX already has a TicketKeeper handle")                               \
    X(TK_ERR_NOT_ATTACHED, -8, "the SSL_CTX is not attached to this handle")                              \
    X(TK_ERR_CONTEXT_FREED, -9, "the SSL_CTX was freed")                                                  \
    X(TK_ERR_BAD_KEY, -10, "a key has an unsupported length or an all-zero secret")                       \
    X(TK_ERR_DUPLICATE_KEY, -11, "two keys share a name")                                                 \
    X(TK_ERR_TOO_MANY_KEYS, -12, "too many keys")                                                         \
    X(TK_ERR_BAD_SESSION, -13, "the session bytes do not parse as an OpenSSL session with a session id")       \
    X(TK_ERR_FOREIGN_CONTEXT, -14,                                                                        \
      "the SSL_CTX is not a context of the libssl the shim is linked against (BoringSSL's or another "     \
      "OpenSSL's)")

#define TK_RESULT_ENUMERATOR(name, value, description) name = value,
enum tk_result { TK_RESULTS(TK_RESULT_ENUMERATOR) };
#undef TK_RESULT_ENUMERATOR

/* tk_result_string returns a static, human-readable description of the result code |result| from TK_RESULTS, or
 * "unknown result code". The string lives as long as the library. */
TK_EXPORT const char *tk_result_string(int result);

/* Decisions: what the upcalls answer. */

/* tk_seal_answer: what the seal upcall (tk_seal_fn) returns. TK_SEAL_NONE is the safe outcome: no ticket. */
enum tk_seal_answer { TK_SEAL_NONE = 0, TK_SEAL_CHOSEN = 1 };

/* tk_stamp_answer: what the stamp upcall (tk_stamp_fn) returns. TK_STAMP_NONE is the safe outcome: no stamp, and so
 * no ticket. */
enum tk_stamp_answer { TK_STAMP_NONE = 0, TK_STAMP_STORED = 1 };

/* tk_key_decision: what the open upcall answers for a presented ticket. They are the return values of OpenSSL's
 * ticket key callback.
 *
 * WARNING: OpenSSL's convention is irregular here: 2 does not mean "failure" but "use this key and send the client
 * a renewed ticket". 0 means "no usable key": a full handshake follows. Negative values fail the handshake. */
enum tk_key_decision { TK_KEY_ABORT = -1, TK_KEY_REJECT = 0, TK_KEY_USE = 1, TK_KEY_RENEW = 2 };

/* tk_session_decision: what the session upcall answers; the shim translates them into OpenSSL's SSL_TICKET_RETURN
 * values. USE and USE_RENEW are only honoured when a ticket was opened; otherwise the shim turns them into
 * TK_SESSION_IGNORE_RENEW and counts a bad decision.
 *
 * WARNING: 0 is not a decision. An upcall that died or failed (a JNA callback that was garbage collected returns 0)
 * must not abort handshakes, so 0 counts as a bad decision and gives a full handshake with a fresh ticket, and
 * TK_SESSION_ABORT is -1 (API version 4; it was 0 before). */
enum tk_session_decision {
    TK_SESSION_ABORT = -1,
    TK_SESSION_IGNORE = 1,
    TK_SESSION_IGNORE_RENEW = 2,
    TK_SESSION_USE = 3,
    TK_SESSION_USE_RENEW = 4
};

/* tk_ticket_status: the outcome of opening a presented ticket, in tk_session_view.status, translated from OpenSSL's
 * SSL_TICKET_STATUS. */
enum tk_ticket_status {
    TK_TICKET_EMPTY = 1,        /* the client sent an empty ticket extension (TLS 1.2): it asks for a ticket */
    TK_TICKET_NOT_OPENED = 2,   /* the ticket could not be used: unknown or rejected key, bad MAC, malformed */
    TK_TICKET_OPENED = 3,       /* the ticket was opened */
    TK_TICKET_OPENED_RENEW = 4, /* the ticket was opened and the open upcall asked for a renewed ticket */
    TK_TICKET_FOREIGN = 5       /* another ticket key callback opened the ticket, not the shim's (see tk_session_fn) */
};

/* tk_early_data_answer: what the early data upcall returns. TK_EARLY_DATA_REFUSE is the safe outcome (also what a
 * dead upcall returns): the early data is skipped and the handshake goes on in 1-RTT. */
enum tk_early_data_answer { TK_EARLY_DATA_REFUSE = 0, TK_EARLY_DATA_ACCEPT = 1 };

/* tk_early_data_state: a connection's early data as tk_early_data_status reports it; they are OpenSSL's
 * SSL_EARLY_DATA_NOT_SENT, _REJECTED and _ACCEPTED. */
enum tk_early_data_state {
    TK_EARLY_DATA_NOT_SENT = 0, /* the client offered none (or the connection is not TLS 1.3 resumed) */
    TK_EARLY_DATA_REJECTED = 1, /* offered and refused: the client must send it again after the handshake */
    TK_EARLY_DATA_ACCEPTED = 2  /* offered and accepted: the application read it before the handshake finished */
};

/* States and flags. */

/* tk_context_state: where an attached context stands, as tk_context_state reports it. */
enum tk_context_state {
    TK_CONTEXT_ATTACHED = 1, /* its handshakes call the handle's upcalls */
    TK_CONTEXT_DETACHED = 2, /* taken out with tk_detach: its handshakes get the safe outcome */
    TK_CONTEXT_FREED = 3     /* OpenSSL freed it: the handle no longer touches it */
};

/* Findings about an attached context that its owner should hear of (tk_context_findings), as bit flags. */
#define TK_FINDING_NO_TICKET 0x1u                /* SSL_OP_NO_TICKET is set: TLS 1.2 clients get no tickets, and */
                                                 /* TLS 1.3 tickets are stateful (the session cache holds them) */
#define TK_FINDING_CACHE_CALLBACKS_REPLACED 0x2u /* tk_cache_attach replaced session cache callbacks that another */
                                                 /* library had registered on the context */

/* tk_cache_mode: how tk_cache_attach sets up OpenSSL's server cache. */
enum tk_cache_mode {
    TK_CACHE_EXTERNAL = 1, /* OpenSSL's internal cache is off: every lookup asks the store */
    TK_CACHE_INTERNAL = 2  /* OpenSSL's internal cache sits in front of the store: the store is asked on a miss */
};

/* Keys and stamps. */

#define TK_KEY_NAME_LEN 16
#define TK_MAX_SECRET_LEN 32
#define TK_MAX_KEYS 1000000
#define TK_SHA256_LEN 32
#define TK_SHA1_LEN 20
#define TK_MAX_SESSION_ID_CONTEXT_LEN 32
#define TK_MAX_SERVER_NAME_LEN 255
#define TK_CLIENT_RANDOM_LEN 32
#define TK_MAX_ALPN_LEN 255

/* tk_key is one ticket key as the application publishes it. The name is written into every ticket the key seals.
 * hmac_key_len is 16 or 32 (HMAC-SHA256); aes_key_len is 16 (AES-128-CBC) or 32 (AES-256-CBC). Neither secret may
 * be all zero. */
typedef struct tk_key {
    uint8_t name[TK_KEY_NAME_LEN];
    uint8_t hmac_key[TK_MAX_SECRET_LEN];
    uint8_t aes_key[TK_MAX_SECRET_LEN];
    uint32_t hmac_key_len;
    uint32_t aes_key_len;
} tk_key;

/* tk_ticket_stamp is the application data the shim stores in every ticket it seals (through
 * SSL_SESSION_set1_ticket_appdata), so that later decisions can see when, under what and for which virtual host the
 * ticket was made. Tickets travel between servers, so the stamp has a versioned wire form: stamps written by a
 * shim of API version 2 or older read back with host_id 0. */
typedef struct tk_ticket_stamp {
    int64_t issued_at_ms;   /* the application's clock when the session was first issued a ticket, in ms since the
                             * epoch; kept across renewals (see tk_stamp_fn) */
    int64_t key_generation; /* the application's key table generation at that time */
    int64_t tag;            /* an application-defined tag */
    int64_t host_id;        /* the virtual host (or group of hosts) the ticket is bound to; 0 binds it to none */
} tk_ticket_stamp;

/* tk_session_view describes a presented ticket to the session upcall. */
typedef struct tk_session_view {
    int64_t context_id;           /* the id the context was attached under (tk_attach) */
    int32_t status;               /* one of TK_TICKET_* */
    int32_t protocol_version;     /* the session's protocol, e.g. 0x0303 for TLS 1.2, 0x0304 for TLS 1.3 */
    int32_t has_peer_certificate; /* 1 if the session carries a client certificate, else 0 */
    int32_t has_stamp;            /* 1 if stamp holds the ticket's application data, else 0 */
    int64_t session_time_s;       /* OpenSSL's creation time of the session, seconds since the epoch; 0 if none */
    int64_t key_generation;       /* the generation of the key table that opened the ticket, or -1 */
    int32_t key_slot;             /* the slot of the key that opened the ticket in that table, or -1 */
    int32_t has_peer_sha256;      /* 1 if peer_sha256 holds the client certificate's SHA-256 fingerprint, else 0 */
    tk_ticket_stamp stamp;
    uint8_t peer_sha256[TK_SHA256_LEN]; /* computed only when the session carries a client certificate */
    /* The first host_name of the server_name extension (SNI) of the ClientHello the ticket came in, as the client
     * sent it (no terminating NUL, case and a trailing dot kept), read by the shim while OpenSSL processes the
     * ClientHello (SSL_client_hello_get0_ext), for every status but TK_TICKET_FOREIGN. It names the host the
     * connection is meant for before a servername callback has switched contexts: OpenSSL opens tickets before it
     * runs that callback, so |context_id| is still the context the connection started on. server_name_len is 0
     * when the client sent no server_name, when it holds no host_name, and when the extension or the name is
     * malformed (a list or name length that does not fit, an empty name, a name longer than
     * TK_MAX_SERVER_NAME_LEN). The shim does not check the name's characters: compare, never trust. (API version
     * 4.) */
    uint8_t server_name[TK_MAX_SERVER_NAME_LEN];
    uint32_t server_name_len;
    /* For an opened TLS 1.3 ticket, its identity, as tk_early_data_view.ticket_id has it (the same ticket gives the
     * same ticket_id in both views), so that an application can make tickets single-use (RFC 8446 section 8.1).
     * has_ticket_id is 0 for TLS 1.2 (every ticket of a TLS 1.2 session holds the same master secret), for a
     * ticket not opened, when it could not be computed, and unless tk_set_ticket_ids turned it on for the handle
     * (API version 6; in version 5 it was always computed). (API version 5.) */
    int32_t has_ticket_id;
    uint8_t ticket_id[TK_SHA256_LEN];
} tk_session_view;

/* tk_early_data_view describes a resumption that offers early data to the early data upcall. */
typedef struct tk_early_data_view {
    int64_t context_id;       /* the id the connection's current context was attached under */
    int32_t protocol_version; /* the session's protocol: 0x0304 */
    int32_t cipher_id;        /* the session's cipher suite as on the wire, e.g. 0x1301; 0 if unknown */
    uint32_t max_early_data;  /* the limit the ticket carries (SSL_SESSION_get_max_early_data) */
    int32_t has_stamp;        /* 1 if stamp holds the ticket's application data, else 0 */
    int64_t session_time_s;   /* OpenSSL's time of the session the ticket holds, seconds since the epoch */
    tk_ticket_stamp stamp;
    /* The ClientHello's random: 32 bytes bound to the PSK binder, so equal in a replay of the same ClientHello and
     * different in every honest one. */
    uint8_t client_random[TK_CLIENT_RANDOM_LEN];
    uint8_t server_name[TK_MAX_SERVER_NAME_LEN]; /* SSL_get_servername, no NUL; server_name_len 0 if none */
    uint32_t server_name_len;
    uint8_t alpn[TK_MAX_ALPN_LEN]; /* the protocol selected by ALPN for this connection; alpn_len 0 if none */
    uint32_t alpn_len;
    /* The identity of the ticket the client presented, so that an application can allow each ticket's early data
     * once (RFC 8446 section 8.1): SHA-256 over the label "ticketkeeper ticket id" and the ticket's own PSK (the
     * resumed session's master key, which each TLS 1.3 ticket derives with its nonce). The same ticket presented
     * again, in a replay or in a new ClientHello, has the same ticket_id; two tickets never do. It reveals nothing
     * of the PSK. has_ticket_id is 0 when it could not be computed. */
    int32_t has_ticket_id;
    uint8_t ticket_id[TK_SHA256_LEN];
} tk_early_data_view;

/* Upcalls.
 *
 * Every upcall runs on the thread that drives the handshake, which may be any thread, including one the host
 * runtime has never seen, and several run at once on different threads. They must not fail by unwinding (a Java
 * upcall must catch everything and return a value). |context_id| is the id under which the connection's current
 * SSL_CTX (SSL_get_SSL_CTX: the one a servername callback switched to, if it did) was attached. Pointer arguments
 * are valid only during the call. An upcall must not call tk_publish_keys, tk_attach, tk_detach or tk_close.
 *
 * |user| is tk_upcalls.user as given to tk_handle_new: the application's state for the handle (a JNI global
 * reference, an object's address), which the shim never reads. It is the first argument of every ticket upcall, so
 * that one set of functions serves many handles without packing state into context ids. (API version 5.)
 *
 * A return value of 0 always asks for the safe outcome (no ticket, a full handshake, a cache miss), so that an
 * upcall that died or failed and returns 0 (a garbage-collected JNA callback does) never aborts a handshake or
 * picks a key. */

/* tk_seal_fn chooses the key that seals a new ticket from the key table |generation| that the shim is reading: it
 * sets |*out_slot| to that key's slot (0-based index into the table) and returns 1, or returns 0 for "issue no
 * ticket" (TK_SEAL_CHOSEN and TK_SEAL_NONE). The shim sets |*out_slot| to -1 before the call: 1 with a slot left
 * at -1, or outside the table, and any return value but 0 and 1, count as bad decisions and issue no ticket. The
 * shim sets |*out_lifetime_s| to -1 before the call; an upcall that sets it to a positive number of seconds lowers
 * the session's timeout to at most that value before the ticket is built, and with it the lifetime the client is
 * told (the TLS 1.2 lifetime hint, the TLS 1.3 ticket_lifetime). (API version 4; before, the slot was the return
 * value, and 0 picked slot 0.) */
typedef int32_t (*tk_seal_fn)(void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
                              int64_t *out_lifetime_s);

/* tk_open_fn decides on a presented ticket whose key name the shim looked up in the key table |generation|:
 * |slot| is the key's slot, or -1 if no key has that name (or no table is published). It returns a
 * tk_key_decision; TK_KEY_USE and TK_KEY_RENEW for |slot| -1, and values outside the enum, count as bad decisions
 * and give a full handshake. */
typedef int32_t (*tk_open_fn)(void *user, int64_t context_id, int64_t generation, int32_t slot);

/* tk_stamp_fn fills |out_stamp| (zeroed by the shim) for a ticket about to be sealed. It returns 1 to store the
 * stamp in the ticket (TK_STAMP_STORED). Any other value (TK_STAMP_NONE: a failed or dead upcall, or an unknown
 * context) refuses the ticket: the shim never issues a ticket without a stamp, and counts it
 * (tk_stats.unstamped_tickets_refused), as when storing the stamp fails.
 *
 * When the session being ticketed already carries a stamp of the shim's (a TLS 1.2 ticket renewed on resumption,
 * a TLS 1.3 resumption, or the second ticket of one connection), the shim keeps that stamp's issued_at_ms (the
 * earlier of the two) in place of the one the upcall wrote: a session's age counts from its first ticket, however
 * often it is renewed.
 *
 * |out_max_early_data| holds, on entry, the early data (in bytes) a TLS 1.3 ticket would let its client send: the
 * connection's max_early_data, which tk_early_data_attach set from its argument, or 0 when early data is off. The
 * upcall may lower it for this ticket; the shim then seals the lower value into the ticket and advertises it in
 * the ticket's early_data extension (SSL_SESSION_set_max_early_data and SSL_set_max_early_data, in OpenSSL's
 * ticket generate callback), 0 advertising none. A value above the one on entry is ignored: the upcall never
 * raises it. The connection keeps a lowered value, so a later ticket of the same connection starts from it.
 * (API version 5.) */
typedef int32_t (*tk_stamp_fn)(void *user, int64_t context_id, tk_ticket_stamp *out_stamp,
                                uint32_t *out_max_early_data);

/* tk_session_fn makes the session-level decision on a presented ticket described by |view| (context_id included).
 * It returns a tk_session_decision; a value outside the enum counts as a bad decision and gives a full handshake
 * with a fresh ticket.
 *
 * WARNING: when another library replaced the shim's ticket key callback on the context after tk_attach (Netty's
 * setTicketKeys does), tickets are opened by that callback. The shim still runs its session ticket callback and
 * tells the upcall with status TK_TICKET_FOREIGN and no other field set, so that the application can count and
 * report it; the answer is ignored: the shim answers as OpenSSL does without a session ticket callback (use the
 * session, with a renewed ticket when the other callback asked for one). TicketKeeper decides only on tickets its
 * own callback opened. */
typedef int32_t (*tk_session_fn)(void *user, const tk_session_view *view);

/* tk_early_data_fn decides whether the early data of the resumption |view| describes is accepted (only on contexts
 * that tk_early_data_attach turned it on for). It runs while OpenSSL processes the ClientHello and should answer
 * within a bound, since the handshake waits for it. It returns a tk_early_data_answer; any other value counts as a
 * bad decision and refuses. (API version 5.) */
typedef int32_t (*tk_early_data_fn)(void *user, const tk_early_data_view *view);

/* tk_upcalls holds the ticket upcalls and the |user| pointer passed to each. Every function must be set but
 * early_data, which may be NULL when the application never turns early data on (tk_early_data_attach then refuses);
 * |user| may be NULL. The application owns what |user| points to and must keep it valid until tk_close returns. */
typedef struct tk_upcalls {
    void *user;
    tk_seal_fn seal;
    tk_open_fn open;
    tk_stamp_fn stamp;
    tk_session_fn session;
    tk_early_data_fn early_data;
} tk_upcalls;

/* tk_cache_new_fn offers a new server session to the store: its id |id| (|id_len| bytes, at most
 * TK_SESSION_ID_MAX_LEN) and its DER form |der| (|der_len| bytes), which the session keeps for |timeout_s| seconds
 * from now. The return value is ignored (OpenSSL keeps the session either way). The DER holds the session's master
 * secret: a store that keeps it anywhere shared must seal it. */
typedef int32_t (*tk_cache_new_fn)(void *user, int64_t context_id, const uint8_t *id, uint32_t id_len,
                                   const uint8_t *der, uint32_t der_len, int64_t timeout_s);

/* tk_cache_get_fn looks up the session |id|. It writes the session's DER form into |out_der|, which has room for
 * |der_capacity| (TK_SESSION_MAX_DER_LEN) bytes, and returns its length; it returns 0 for a miss (so a failed or
 * dead upcall is a miss). A return value
 * below 0 or above |der_capacity| counts as a bad decision and a miss. The shim cleanses |out_der| after the call
 * on every path. */
typedef int32_t (*tk_cache_get_fn)(void *user, int64_t context_id, const uint8_t *id, uint32_t id_len,
                                   uint8_t *out_der, uint32_t der_capacity);

/* tk_cache_remove_fn tells the store that OpenSSL dropped the session |id| (it failed, or timed out in the internal
 * cache). The return value is ignored. */
typedef int32_t (*tk_cache_remove_fn)(void *user, int64_t context_id, const uint8_t *id, uint32_t id_len);

/* tk_cache_upcalls holds the server session cache upcalls and the |user| pointer passed first to each, as
 * tk_upcalls.user is to the ticket upcalls (the same rules: the shim never reads it, it may be NULL, and the
 * application keeps what it points to valid until tk_close returns). Every function must be set. (API version 5.) */
typedef struct tk_cache_upcalls {
    void *user;
    tk_cache_new_fn new_session;
    tk_cache_get_fn get_session;
    tk_cache_remove_fn remove_session;
} tk_cache_upcalls;

/* Handles and contexts.
 *
 * A tk_handle is TicketKeeper's state for a group of server SSL_CTXs that share one key table and one set of
 * upcalls (for example the virtual hosts of one server). It is reference counted: the caller of tk_handle_new holds
 * one reference (dropped by tk_close) and every attached SSL_CTX holds one (dropped when OpenSSL frees it).
 *
 * Races: handshakes on attached contexts may run on any threads at any time, also during tk_publish_keys,
 * tk_detach and tk_close. Calls that configure a context (tk_attach, tk_set_session_id_context, tk_cache_attach,
 * tk_cache_add_session) must not race with handshakes on that context, as with any OpenSSL configuration call.
 * All calls on one handle may come from any thread; the handle serialises them. A context freed with SSL_CTX_free
 * leaves the handle (its later use gives TK_ERR_CONTEXT_FREED), but SSL_CTX_free must not race with a call that
 * names that context. */

typedef struct tk_handle tk_handle;

/* tk_stats holds counters of events the shim handles without asking the application. */
typedef struct tk_stats {
    uint64_t closed_callbacks;   /* callbacks after tk_close, answered with the safe outcome */
    uint64_t detached_callbacks; /* callbacks on a detached context, answered with the safe outcome */
    uint64_t crypto_errors;      /* OpenSSL failures while setting up a ticket's cipher or MAC, its stamp, or the
                                  * connection's marks (ex_data) */
    uint64_t bad_decisions;      /* upcall results outside their documented range, mapped to the safe outcome */
    uint64_t unstamped_tickets_refused; /* tickets not issued because their stamp could not be made or stored */
} tk_stats;

/* tk_handle_new makes a handle whose ticket callbacks call |upcalls| and, when |cache_upcalls| is not NULL, whose
 * server session cache callbacks call |cache_upcalls| (see tk_cache_attach). Both structs are copied; the
 * functions they name must stay callable until tk_close returns. Until a key table is published, no tickets are
 * issued and presented tickets give full handshakes.
 *
 * On success it sets |*out_handle| and returns TK_OK; on failure it leaves |*out_handle| untouched and returns
 * TK_ERR_NULL (also for a NULL member of either struct), TK_ERR_NOMEM or TK_ERR_OPENSSL. */
TK_EXPORT int tk_handle_new(const tk_upcalls *upcalls, const tk_cache_upcalls *cache_upcalls,
                            tk_handle **out_handle);

/* tk_attach installs the ticket key callback and the session ticket callbacks of |handle| on the server context
 * |ssl_ctx| (an SSL_CTX pointer), whose upcalls then carry |context_id|. The context takes a reference to the
 * handle, dropped when OpenSSL frees the context. Ids need not be unique: an application may give an id again once
 * its context has left (detached, or freed), and tk_context_state then reports the newest context under it.
 *
 * WARNING: OpenSSL runs the ticket callbacks of the context a connection started on (its session context), with
 * that context's callback argument, but every callback of the shim finds the handle and the context id through the
 * connection's current context (SSL_get_SSL_CTX), never through the argument. A servername callback that switches
 * to another context with SSL_set_SSL_CTX must switch to one attached to the same handle, or those connections get
 * no tickets and full handshakes. OpenSSL opens a presented ticket before it runs the servername callback, so the
 * decision on it is made for the context the connection started on (a ticket stamped for the host switched to is
 * refused there if the application binds tickets to hosts), while a new ticket is sealed and stamped for the
 * context switched to.
 *
 * |ssl_ctx| must be a context of the libssl the shim is linked against: the shim reads its method pointer
 * (SSL_CTX_get_ssl_method) and compares it with that libssl's method tables before it touches anything else, and
 * refuses any other context (BoringSSL's, another OpenSSL's loaded beside it) with TK_ERR_FOREIGN_CONTEXT.
 *
 * It returns TK_OK, TK_ERR_NULL, TK_ERR_FOREIGN_CONTEXT, TK_ERR_CLOSED, TK_ERR_ATTACHED when |ssl_ctx| already
 * carries a handle (this one or another; a detached context stays marked until it is freed), TK_ERR_NOMEM or
 * TK_ERR_OPENSSL. */
TK_EXPORT int tk_attach(tk_handle *handle, void *ssl_ctx, int64_t context_id);

/* tk_detach takes |ssl_ctx| out of |handle|: from the next callback on, its handshakes get the safe outcome (no
 * ticket; presented tickets and cached sessions give full handshakes), counted as detached callbacks. OpenSSL's
 * callback pointers are left in place, since rewriting them could race with handshakes; the context keeps its
 * reference to the handle until OpenSSL frees it. When it returns, no upcall for |ssl_ctx| is running. It
 * returns TK_OK, TK_ERR_NULL, TK_ERR_NOT_ATTACHED or TK_ERR_CONTEXT_FREED. */
TK_EXPORT int tk_detach(tk_handle *handle, void *ssl_ctx);

/* tk_context_state returns the tk_context_state of the context most recently attached to |handle| under
 * |context_id|, so that an application can tell which of its contexts OpenSSL has freed (a server that drops
 * contexts on reload and lets them be freed later) without naming a possibly freed address. It returns
 * TK_ERR_NULL, or TK_ERR_NOT_ATTACHED when no context was ever attached under |context_id|. It touches no
 * SSL_CTX. */
TK_EXPORT int tk_context_state(const tk_handle *handle, int64_t context_id);

/* tk_context_findings sets |*out_findings| to the TK_FINDING_* flags that hold for |ssl_ctx|, attached to
 * |handle|: TK_FINDING_NO_TICKET as the context's options are now, TK_FINDING_CACHE_CALLBACKS_REPLACED as
 * tk_cache_attach found them. It returns TK_OK, TK_ERR_NULL, TK_ERR_NOT_ATTACHED, TK_ERR_CONTEXT_FREED or
 * TK_ERR_OPENSSL; on failure |*out_findings| is untouched. */
TK_EXPORT int tk_context_findings(tk_handle *handle, const void *ssl_ctx, uint32_t *out_findings);

/* tk_publish_keys replaces the key table with a copy of |keys[0..count-1]| under |generation|, which is passed to
 * the seal and open upcalls of every handshake that reads this table. Handshakes on other threads see the old
 * table or the new one, never a mix. When it returns, no handshake can still hold the old table and its key
 * material has been cleansed. The caller keeps ownership of |keys| (and should cleanse it).
 *
 * It returns TK_OK, TK_ERR_NULL, TK_ERR_NOMEM, TK_ERR_CLOSED, TK_ERR_TOO_MANY_KEYS, TK_ERR_BAD_KEY or
 * TK_ERR_DUPLICATE_KEY; on failure the old table stays in force. */
TK_EXPORT int tk_publish_keys(tk_handle *handle, const tk_key *keys, size_t count, int64_t generation);

/* tk_set_ticket_ids turns tk_session_view.ticket_id on (|on| not 0) or off (0, the default) for every context of
 * |handle|. It costs a SHA-256 (and, on OpenSSL 3, a digest fetch) per TLS 1.3 resumption, about 0.2 % of one,
 * which only an application that makes tickets single-use needs. It may be called at any time; handshakes under
 * way see the change or not. The early data view's ticket_id does not depend on it. It returns TK_OK or
 * TK_ERR_NULL. (API version 6.) */
TK_EXPORT int tk_set_ticket_ids(tk_handle *handle, int32_t on);

/* tk_get_stats copies the shim's counters into |*out_stats|. It returns TK_OK or TK_ERR_NULL. */
TK_EXPORT int tk_get_stats(const tk_handle *handle, tk_stats *out_stats);

/* tk_close stops all upcalls from |handle|, cleanses its key table and releases the caller's reference. When it
 * returns, no upcall is running and none will start: the upcall functions may be freed. The handle counts as
 * closed even when taking its lock fails (then close waits for running callbacks without it). Later handshakes on the
 * attached contexts get no ticket and presented tickets give full handshakes. The rest of the handle is freed with
 * the last attached context. tk_close(NULL) is a no-op; |handle| must not be used after the call. */
TK_EXPORT void tk_close(tk_handle *handle);

/* tk_set_session_id_context sets the session id context of |ssl_ctx|, attached to |handle|, to
 * |context[0..len-1]|, which is copied. OpenSSL resumes a session, from a ticket or the cache, only when the
 * session's context equals the server's, so every server that shares tickets must use the same context. It returns
 * TK_OK, TK_ERR_NULL, TK_ERR_BAD_ARG (|len| above TK_MAX_SESSION_ID_CONTEXT_LEN), TK_ERR_NOT_ATTACHED,
 * TK_ERR_CONTEXT_FREED or TK_ERR_OPENSSL. */
TK_EXPORT int tk_set_session_id_context(tk_handle *handle, void *ssl_ctx, const uint8_t *context, size_t len);

/* tk_nginx_session_id_context computes the session id context nginx would give |ssl_ctx|, attached to |handle|,
 * and writes its TK_SHA1_LEN bytes to |out_context|: SHA-1 over |prefix[0..prefix_len-1]| (nginx's HTTP module
 * uses "HTTP", the stream module "STREAM"), then the SHA-1 digest of the context's certificate, then the SHA-1
 * digest of each name in its client CA list, in order. nginx digests each of its certificates in configuration
 * order; this function sees only the context's current certificate, so a context with several certificates (RSA
 * and ECDSA) needs the context computed from all of them by the caller. It does not change |ssl_ctx|. It returns
 * TK_OK, TK_ERR_NULL, TK_ERR_NOT_ATTACHED, TK_ERR_CONTEXT_FREED, TK_ERR_NOMEM or TK_ERR_OPENSSL; on failure
 * |out_context| is untouched. */
TK_EXPORT int tk_nginx_session_id_context(tk_handle *handle, const void *ssl_ctx, const uint8_t *prefix,
                                          size_t prefix_len, uint8_t out_context[TK_SHA1_LEN]);

/* The server session cache.
 *
 * A server SSL_CTX keeps stateful sessions (TLS 1.2 session ids, TLS 1.3 stateful tickets) in an external store
 * that the application provides through the cache upcalls given to tk_handle_new. Sessions cross the boundary as
 * DER bytes (i2d_SSL_SESSION / d2i_SSL_SESSION run in the shim), at most TK_SESSION_MAX_DER_LEN long. */

#define TK_SESSION_ID_MAX_LEN 32
#define TK_SESSION_MAX_DER_LEN 16384

/* tk_cache_stats counts what the shim's cache callbacks decided without asking the store. */
typedef struct tk_cache_stats {
    uint64_t stateless_skipped; /* TLS 1.3 sessions not offered to the store because a stateless ticket holds them */
    uint64_t too_large;         /* sessions longer than TK_SESSION_MAX_DER_LEN, not offered to the store */
    uint64_t bad_sessions;      /* bytes from the store that did not parse, or held another session id: misses */
    uint64_t closed_callbacks;  /* cache callbacks after tk_close, answered as misses (detached: tk_stats) */
} tk_cache_stats;

/* tk_cache_attach puts the server session cache of |ssl_ctx|, attached to |handle|, behind the handle's cache
 * upcalls in |mode| (a tk_cache_mode): it sets the cache mode (SSL_SESS_CACHE_SERVER, with
 * SSL_SESS_CACHE_NO_INTERNAL for TK_CACHE_EXTERNAL) and registers the new, get and remove session callbacks. The
 * handle's epoch and close cover these upcalls too; after tk_close or tk_detach lookups are misses.
 *
 * Under TLS 1.3 only stateful tickets (SSL_OP_NO_TICKET set) reach the store: a stateless ticket carries its
 * session, so the session OpenSSL reports for it is not stored (tk_cache_stats.stateless_skipped). A session from
 * get_session is handed to OpenSSL with *copy = 0: OpenSSL owns the reference d2i_SSL_SESSION made.
 *
 * WARNING: OpenSSL calls the remove callback for every session left in its internal cache when the SSL_CTX is
 * freed. Close the handle or detach the context first, so that this flush does not empty a store shared with other
 * nodes.
 *
 * Session cache callbacks that another library had registered on the context are replaced; the context's
 * findings then carry TK_FINDING_CACHE_CALLBACKS_REPLACED (tk_context_findings).
 *
 * It returns TK_OK, TK_ERR_NULL, TK_ERR_BAD_ARG (an unknown mode, or a handle made without cache upcalls),
 * TK_ERR_CLOSED, TK_ERR_NOT_ATTACHED or TK_ERR_CONTEXT_FREED. */
TK_EXPORT int tk_cache_attach(tk_handle *handle, void *ssl_ctx, int32_t mode);

/* tk_cache_get_stats copies the cache counters into |*out_stats|. It returns TK_OK or TK_ERR_NULL. */
TK_EXPORT int tk_cache_get_stats(const tk_handle *handle, tk_cache_stats *out_stats);

/* tk_cache_add_session parses the DER session |der| (|der_len| bytes) and adds it to the internal session cache of
 * |ssl_ctx|, attached to |handle| (SSL_CTX_add_session), for a warm start from persisted sessions. The cache keeps
 * its own reference. A session already in the cache is not an error. It returns TK_OK, TK_ERR_NULL,
 * TK_ERR_BAD_SESSION, TK_ERR_NOT_ATTACHED or TK_ERR_CONTEXT_FREED. */
TK_EXPORT int tk_cache_add_session(tk_handle *handle, void *ssl_ctx, const uint8_t *der, size_t der_len);

/* The client session cache.
 *
 * A client SSL_CTX can hand its new sessions to the application, tagged with a peer number the application chose
 * per connection, so that the application keeps them (per host, across restarts) and offers them again.
 *
 * Races: tk_client_cache_install configures the context and must not race with handshakes on it. tk_client_tag and
 * tk_client_offer configure one connection and must be called before its handshake, on the thread that owns it.
 * The new-session upcall runs on the thread that drives the connection. */

/* tk_client_new_fn receives a new session of a client connection tagged |peer| by tk_client_tag: its DER form
 * |der| (|der_len| bytes, valid only during the call). The return value is ignored. It runs on the thread that
 * drives the connection (for TLS 1.3, inside SSL_read when the ticket arrives) and must not fail by unwinding. */
typedef int32_t (*tk_client_new_fn)(int64_t peer, const uint8_t *der, uint32_t der_len);

/* tk_client_cache_install sets the client session cache mode of |ssl_ctx| (SSL_SESS_CACHE_CLIENT with
 * SSL_SESS_CACHE_NO_INTERNAL_STORE) and its new session callback, which calls |new_session| for each new session
 * of a connection tagged with tk_client_tag (untagged connections are skipped). |new_session| must stay callable
 * as long as the context handshakes. It returns TK_OK, TK_ERR_NULL, TK_ERR_NOMEM or TK_ERR_OPENSSL. */
TK_EXPORT int tk_client_cache_install(void *ssl_ctx, tk_client_new_fn new_session);

/* tk_client_tag tags the client connection |ssl| (an SSL pointer) with the peer number |peer| that its new
 * sessions are reported under. It returns TK_OK, TK_ERR_NULL, TK_ERR_BAD_ARG (|peer| <= 0) or TK_ERR_OPENSSL. */
TK_EXPORT int tk_client_tag(void *ssl, int64_t peer);

/* tk_client_offer parses the DER session |der| and sets it on the client connection |ssl| before its handshake
 * (SSL_set_session), so that the client offers it for resumption. The connection keeps its own reference. It
 * returns TK_OK, TK_ERR_NULL, TK_ERR_BAD_SESSION or TK_ERR_OPENSSL. */
TK_EXPORT int tk_client_offer(void *ssl, const uint8_t *der, size_t der_len);

/* Early data (TLS 1.3 0-RTT).
 *
 * Off unless tk_early_data_attach turns it on for a context. Early data can be replayed (RFC 8446 section 8): the
 * shim lets OpenSSL judge everything it can (a resumption, no HelloRetryRequest, the client's obfuscated ticket age
 * within OpenSSL's allowance of its own view of the ticket's age) and then asks the early data upcall, which sees
 * the resumed session and the ClientHello's random and answers with the application's anti-replay record and
 * policy. OpenSSL calls the upcall only when all of its own checks passed, so a view always describes a fresh
 * ticket. (API version 5.) */

/* tk_early_data_attach turns early data on for |ssl_ctx|, attached to |handle|: new tickets advertise
 * |max_early_data| bytes (SSL_CTX_set_max_early_data), at most as many are read (SSL_CTX_set_recv_max_early_data),
 * and every resumption that offers early data and passes OpenSSL's checks makes the handle's early_data upcall
 * (SSL_CTX_set_allow_early_data_cb). It sets SSL_OP_NO_ANTI_REPLAY: OpenSSL's own replay protection would turn
 * every TLS 1.3 ticket stateful (kept in this process's session cache, never sealed by the shim's keys), which
 * neither a fleet nor the key table can share; the application's record takes its place. Connections made with SSL_new before the call keep the
 * context's earlier setting (OpenSSL copies the callback into each connection).
 *
 * It returns TK_OK, TK_ERR_NULL, TK_ERR_BAD_ARG (|max_early_data| 0, or a handle made without an early_data
 * upcall), TK_ERR_NOT_ATTACHED, TK_ERR_CONTEXT_FREED or TK_ERR_OPENSSL. */
TK_EXPORT int tk_early_data_attach(tk_handle *handle, void *ssl_ctx, uint32_t max_early_data);

/* tk_early_data_status returns the tk_early_data_state of the server connection |ssl| (an SSL pointer), so that
 * an application can answer 425 Too Early (RFC 8470) to a request that arrived as early data, or mark it. It
 * returns TK_ERR_NULL for a NULL |ssl|. */
TK_EXPORT int tk_early_data_status(const void *ssl);

/* Session encodings. */

/* tk_session_to_pem writes the DER session |der| as PEM (PEM_write_bio_SSL_SESSION) into |out_pem|, which has room
 * for |capacity| bytes, and sets |*out_len| to the PEM's length (no terminating NUL). With |out_pem| NULL it only
 * sets |*out_len|. tk_session_from_pem parses |pem| (at most 4 * TK_SESSION_MAX_DER_LEN bytes), whose first PEM
 * block must be an "SSL SESSION PARAMETERS" block, and writes its DER form the same way. The intermediate copies
 * the shim makes are cleansed. Both return TK_OK, TK_ERR_NULL, TK_ERR_BAD_SESSION, TK_ERR_BUFFER_TOO_SMALL
 * (|*out_len| holds the length needed), TK_ERR_NOMEM or TK_ERR_OPENSSL. */
TK_EXPORT int tk_session_to_pem(const uint8_t *der, size_t der_len, uint8_t *out_pem, size_t capacity,
                                size_t *out_len);
TK_EXPORT int tk_session_from_pem(const uint8_t *pem, size_t pem_len, uint8_t *out_der, size_t capacity,
                                  size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* TICKETKEEPER_H */

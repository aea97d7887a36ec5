/* tk_internal.h: the shim's private types, the guard idiom and the cleanup idiom shared by its source files. */

#ifndef TK_INTERNAL_H
#define TK_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "ticketkeeper.h"

/* One guard idiom for every call. OpenSSL reports success as 1; TicketKeeper reports success as TK_OK (0) and
 * failures as negative codes. Each guard returns from the enclosing function on failure.
 *
 * One cleanup idiom for everything acquired (memory, OpenSSL objects, a lock): the function that acquires it
 * hands it to a helper that does the work with guards and early returns, then releases it unconditionally and
 * returns the helper's result ("acquire, delegate, release"). So no guard ever returns past a resource, and no
 * function needs a goto or a cleanup label. */
/* TK_MUST_CHECK marks an internal function whose result the caller must act on (a TK_* result, a decision, or
 * "may go on"), as s2n marks its results: ignoring one is a compile error (-Werror). A result that may be ignored
 * is handled explicitly at the call, with a comment saying why; GCC does not accept a (void) cast for it. */
#if defined(__GNUC__)
#define TK_MUST_CHECK __attribute__((warn_unused_result))
#else
#define TK_MUST_CHECK
#endif

#define TK_GUARD(expr)                 \
    do {                               \
        int tk_guard_result_ = (expr); \
        if (tk_guard_result_ < 0) {    \
            return tk_guard_result_;   \
        }                              \
    } while (0)

#define TK_GUARD_OSSL(expr, error) \
    do {                           \
        if ((expr) != 1) {         \
            return (error);        \
        }                          \
    } while (0)

#define TK_ENSURE(condition, error) \
    do {                            \
        if (!(condition)) {         \
            return (error);         \
        }                           \
    } while (0)

/* Statistics are read by the application at leisure and order nothing: relaxed increments are enough, and they
 * cost a handshake thread no fence. */
typedef atomic_uint_fast64_t tk_counter;

static inline void tk_count(tk_counter *counter)
{
    atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

static inline uint64_t tk_counter_read(const tk_counter *counter)
{
    return atomic_load_explicit(counter, memory_order_relaxed);
}

/* tk_epoch lets handshake threads read shared state without a lock while a writer replaces it: a writer waits in
 * tk_epoch_synchronize until every reader that could have seen the old state has left (a grace period).
 * tk_epoch_enter returns a token naming where the reader registered; the reader passes it back to tk_epoch_exit.
 *
 * Readers count themselves in per-thread stripes, so that in steady state no two handshake threads write the same
 * cache line (a thread takes the next stripe the first time it enters any epoch; with more threads than stripes,
 * threads share one, which costs speed, not correctness). The writer sums the stripes. Each stripe's counters sit
 * TK_FALSE_SHARING_RANGE bytes from the next stripe's and from |phase|, whatever the allocation's alignment (some
 * x86 cores fetch lines in pairs, hence two lines). An all-zero tk_epoch is a valid, empty one. */
#define TK_EPOCH_STRIPES 64
#define TK_FALSE_SHARING_RANGE 128

typedef struct tk_epoch_stripe {
    atomic_int_fast64_t readers[2];
    unsigned char pad[TK_FALSE_SHARING_RANGE - 2 * sizeof(atomic_int_fast64_t)];
} tk_epoch_stripe;

typedef struct tk_epoch {
    atomic_uint_fast64_t phase; /* read by every reader, written only by writers */
    unsigned char pad[TK_FALSE_SHARING_RANGE - sizeof(atomic_uint_fast64_t)];
    tk_epoch_stripe stripes[TK_EPOCH_STRIPES];
} tk_epoch;

int tk_epoch_enter(tk_epoch *epoch);
void tk_epoch_exit(tk_epoch *epoch, int token);
/* tk_epoch_synchronize must not run on two threads at once for one epoch: callers hold their handle's lock. */
void tk_epoch_synchronize(tk_epoch *epoch);
/* tk_epoch_wait_idle waits until no reader is registered under either phase. It only reads, so it may run beside a
 * writer without the lock; readers that keep entering can delay it, so it serves only where the lock cannot be had
 * and new readers leave at once (tk_close after a failed lock). */
void tk_epoch_wait_idle(const tk_epoch *epoch);
/* tk_epoch_readers returns how many readers are registered under |phase| (0 or 1), summed over the stripes. */
int64_t tk_epoch_readers(const tk_epoch *epoch, int phase);
/* tk_epoch_token_stripe returns the stripe a token of tk_epoch_enter registered in. */
int tk_epoch_token_stripe(int token);

/* tk_thread_yield lets another thread run while a writer waits for readers (sched_yield, or SwitchToThread on
 * Windows: tk_thread.c). */
void tk_thread_yield(void);

/* tk_key_table is an immutable, published set of keys with a hash index over their names. */
typedef struct tk_key_table {
    int64_t generation;
    size_t count;
    size_t index_mask;
    uint32_t *index; /* slot + 1 per bucket; 0 marks an empty bucket */
    tk_key *keys;
} tk_key_table;

TK_MUST_CHECK int tk_key_table_new(const tk_key *keys, size_t count, int64_t generation, tk_key_table **out_table);
int32_t tk_key_table_find(const tk_key_table *table, const unsigned char name[TK_KEY_NAME_LEN]);
void tk_key_table_free(tk_key_table *table);

/* tk_crypto is the seam between the shim and one generation of OpenSSL's ticket API: tk_crypto_ossl3.c for
 * OpenSSL 3 (the EVP key callback with EVP_MAC), tk_crypto_ossl11.c for OpenSSL 1.1.1 (the HMAC_CTX key callback);
 * a build compiles exactly one of them.
 * tk_crypto_new fetches what the per-ticket set-up needs once per handle; tk_crypto_register installs this
 * generation's ticket key callback on a context. */
typedef struct tk_crypto tk_crypto;

TK_MUST_CHECK int tk_crypto_new(tk_crypto **out_crypto);
void tk_crypto_free(tk_crypto *crypto);
TK_MUST_CHECK int tk_crypto_register(SSL_CTX *ctx);

/* The session cache's part of a handle (tk_cache.c): the store's upcalls and the shim's own cache counters. */
typedef struct tk_cache_state {
    int enabled; /* the handle was made with cache upcalls */
    tk_cache_upcalls upcalls;
    tk_counter stateless_skipped;
    tk_counter too_large;
    tk_counter bad_sessions;
    tk_counter closed_callbacks;
} tk_cache_state;

/* tk_context is the record an attached SSL_CTX carries in its ex_data. It stays allocated until its handle is
 * freed, so a callback that read it from the context may use it for as long as the context lives. */
typedef struct tk_context {
    struct tk_handle *handle;
    SSL_CTX *ctx; /* the context's address; never dereferenced once the state is TK_CONTEXT_FREED */
    int64_t id;
    atomic_int state; /* a tk_context_state */
    uint32_t findings; /* TK_FINDING_* flags recorded when the context was configured; guarded by the lock */
    /* 1 once tk_early_data_attach turned early data on (a context a servername callback switched to may not have
     * it). Set under the lock before OpenSSL's callback is registered; configuration never races with handshakes. */
    int early_data_on;
    struct tk_context *next;
} tk_context;

struct tk_handle {
    atomic_int refs;
    atomic_int closed;
    tk_upcalls upcalls;
    tk_epoch epoch;
    _Atomic(tk_key_table *) table;
    /* Serialises publications, grace periods, attach/detach, close and context configuration. Callbacks never
     * take it. */
    CRYPTO_RWLOCK *lock;
    tk_context *contexts; /* every context ever attached, newest first; guarded by lock */
    tk_crypto *crypto;
    tk_counter closed_callbacks;
    tk_counter detached_callbacks;
    tk_counter crypto_errors;
    tk_counter bad_decisions;
    tk_counter unstamped_tickets_refused;
    /* 1 once tk_set_ticket_ids asked for tk_session_view.ticket_id: a digest per TLS 1.3 resumption, which only an
     * application that makes tickets single-use reads. */
    atomic_int ticket_ids;
    tk_cache_state cache;
};

/* tk_handle_release drops one reference and frees the handle with the last one. */
void tk_handle_release(tk_handle *handle);

/* tk_ssl_ctx_is_ours returns 1 if |ctx|'s method (the only field it reads) is one of the method tables of the
 * libssl the shim is linked against, else 0: a BoringSSL context, another libssl's, or no context at all
 * (tk_methods.c). */
int tk_ssl_ctx_is_ours(const SSL_CTX *ctx);

/* tk_context_of returns the record |ctx| carries, or NULL when no handle is attached. */
tk_context *tk_context_of(const SSL_CTX *ctx);

/* tk_context_acquire takes |handle|'s lock and checks that |ssl_ctx| is attached to it and alive. On TK_OK the lock
 * is held and the caller must call tk_context_release; on failure it is not held and the result says why
 * (TK_ERR_NOT_ATTACHED, TK_ERR_CONTEXT_FREED, TK_ERR_OPENSSL). */
TK_MUST_CHECK int tk_context_acquire(tk_handle *handle, const void *ssl_ctx);
void tk_context_release(tk_handle *handle);
/* tk_context_held returns the record of |ssl_ctx| while tk_context_acquire's lock is held for it. */
tk_context *tk_context_held(tk_handle *handle, const void *ssl_ctx);

/* A callback's read section (tk_call.c): every OpenSSL callback that may call an upcall is bracketed by
 * tk_call_begin and tk_call_end, so that the key table and the upcall functions it uses outlive it (tk_close and
 * tk_detach wait for it). tk_call_begin returns 1 when the callback may do its work; it returns 0 when the handle
 * is closed or the context detached (counted in |closed_counter| or the handle's detached counter; nothing to
 * end). */
typedef struct tk_call {
    tk_handle *handle;
    const tk_context *context;
    int phase;
} tk_call;

TK_MUST_CHECK int tk_call_begin(tk_call *call, const tk_context *context, tk_counter *closed_counter);
void tk_call_end(tk_call *call);

/* The ticket callbacks' work that does not depend on OpenSSL's API generation (tk_tickets.c). tk_tickets_seal_key
 * returns the key to seal |ssl|'s new ticket with (NULL: no ticket) and the lifetime the seal upcall chose; it
 * refuses (and counts) a ticket whose stamp the generate callback did not store, before it asks the upcall.
 * tk_tickets_open_key asks the open upcall about |key_name| and returns a tk_key_decision with |*out_key| set for
 * USE and RENEW. tk_tickets_limit_lifetime lowers the session's timeout once the ticket's crypto is set up. */
const tk_key *tk_tickets_seal_key(const tk_call *call, SSL *ssl, int64_t *out_lifetime_s);
/* tk_tickets_open_key also marks the connection |ssl| when it answers USE or RENEW, so that the session ticket
 * callback that OpenSSL runs next for it knows the shim's key callback opened the ticket; a ticket opened without
 * that mark was opened by another library's key callback. When the mark cannot be set it answers TK_KEY_REJECT. */
TK_MUST_CHECK int tk_tickets_open_key(const tk_call *call, SSL *ssl, const unsigned char key_name[TK_KEY_NAME_LEN],
                        const tk_key **out_key);
void tk_tickets_limit_lifetime(SSL *ssl, int64_t lifetime_s);
TK_MUST_CHECK int tk_tickets_register(SSL_CTX *ctx, tk_context *context);

/* tk_session_from_der parses |der| into a new session (the caller frees it) and leaves no error queued. It returns
 * TK_OK or TK_ERR_BAD_SESSION. tk_session_to_der writes |session|'s DER form into |out| and returns its length, or
 * 0 when it is longer than TK_SESSION_MAX_DER_LEN or fails. tk_session_for_id parses a store's answer and returns
 * the session only when it carries the id that was asked for, else NULL. */
TK_MUST_CHECK int tk_session_from_der(const uint8_t *der, size_t der_len, SSL_SESSION **out_session);
uint32_t tk_session_to_der(SSL_SESSION *session, unsigned char out[TK_SESSION_MAX_DER_LEN]);
SSL_SESSION *tk_session_for_id(const unsigned char *der, size_t der_len, const unsigned char *id,
                               unsigned int id_len);

/* The stamp travels inside tickets, possibly to other nodes, so it has a fixed, versioned wire format. Version 2
 * added the host id; version 1 stamps (tickets sealed before) still decode, with host id 0. */
#define TK_STAMP_WIRE_VERSION 2
#define TK_STAMP_WIRE_LEN 33
#define TK_STAMP_WIRE_V1_LEN 25

/* tk_stamp_encode writes |stamp| in the current version. */
void tk_stamp_encode(const tk_ticket_stamp *stamp, unsigned char out[TK_STAMP_WIRE_LEN]);
/* tk_server_name_parse copies the first host_name of a server_name extension body (RFC 6066 section 3: a 2-byte
 * list length, then entries of a 1-byte type and a 2-byte length-prefixed name) into |out_name| and returns its
 * length. It returns 0, and leaves |out_name| untouched, for a body that is NULL or malformed (a list
 * length other than the body's, an entry or name that runs past it), that holds no host_name, or whose first
 * host_name is empty or longer than TK_MAX_SERVER_NAME_LEN. */
uint32_t tk_server_name_parse(const unsigned char *data, size_t len, uint8_t out_name[TK_MAX_SERVER_NAME_LEN]);

/* tk_ticket_id writes the identity of the TLS 1.3 ticket |session| was resumed from (SHA-256 over a label and the
 * ticket's PSK, tk_ticket_id.c) to |out| and returns 1, or returns 0 when it cannot be computed. */
TK_MUST_CHECK int tk_ticket_id(const SSL_SESSION *session, uint8_t out[TK_SHA256_LEN]);

/* tk_stamp_decode returns 1 when |data| holds a stamp of version 1 or 2 (exactly its length), else 0 (and leaves
 * |out_stamp| alone). */
TK_MUST_CHECK int tk_stamp_decode(const unsigned char *data, size_t len, tk_ticket_stamp *out_stamp);

#endif /* TK_INTERNAL_H */

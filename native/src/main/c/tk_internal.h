/* tk_internal.h: the shim's private types and the guard idiom shared by its source files. */

#ifndef TK_INTERNAL_H
#define TK_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "ticketkeeper.h"

/* One guard idiom for every call. OpenSSL reports success as 1; TicketKeeper reports success as TK_OK (0) and
 * failures as negative codes. Each guard returns from the enclosing function on failure. */
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

/* tk_epoch lets handshake threads read shared state without a lock while a writer replaces it: a writer waits
 * in tk_epoch_synchronize until every reader that could have seen the old state has left (a grace period). */
typedef struct tk_epoch {
    atomic_uint_fast64_t phase;
    atomic_int_fast64_t readers[2];
} tk_epoch;

int tk_epoch_enter(tk_epoch *epoch);
void tk_epoch_exit(tk_epoch *epoch, int ticket);
void tk_epoch_synchronize(tk_epoch *epoch);

/* tk_key_table is an immutable, published set of keys with a hash index over their names. */
typedef struct tk_key_table {
    int64_t generation;
    size_t count;
    size_t index_mask;
    uint32_t *index; /* slot + 1 per bucket; 0 marks an empty bucket */
    tk_key *keys;
} tk_key_table;

int tk_key_table_new(const tk_key *keys, size_t count, int64_t generation, tk_key_table **out_table);
int32_t tk_key_table_find(const tk_key_table *table, const unsigned char name[TK_KEY_NAME_LEN]);
void tk_key_table_free(tk_key_table *table);

/* The session cache's part of a handle (tk_cache.c): the store's upcalls and the shim's own cache counters. */
typedef struct tk_cache_state {
    tk_cache_upcalls upcalls;
    atomic_uint_fast64_t stateless_skipped;
    atomic_uint_fast64_t too_large;
    atomic_uint_fast64_t bad_sessions;
    atomic_uint_fast64_t closed_callbacks;
} tk_cache_state;

struct tk_handle {
    atomic_int refs;
    atomic_int closed;
    tk_upcalls upcalls;
    tk_epoch epoch;
    _Atomic(tk_key_table *) table;
    CRYPTO_RWLOCK *publish_lock;
    EVP_CIPHER *aes_128_cbc;
    EVP_CIPHER *aes_256_cbc;
    atomic_uint_fast64_t closed_callbacks;
    atomic_uint_fast64_t crypto_errors;
    atomic_uint_fast64_t bad_decisions;
    tk_cache_state cache;
};

tk_handle *tk_handle_of(const SSL_CTX *ctx);
int tk_register_callbacks(SSL_CTX *ctx, tk_handle *handle);

/* tk_session_from_der parses |der| into a new session (the caller frees it) and leaves no error queued. It
 * returns TK_OK or TK_ERR_BAD_SESSION. tk_session_to_der writes |session|'s DER form into |out| and returns its
 * length, or 0 when it is longer than TK_SESSION_MAX_DER_LEN or fails. */
int tk_session_from_der(const uint8_t *der, size_t der_len, SSL_SESSION **out_session);
uint32_t tk_session_to_der(SSL_SESSION *session, unsigned char out[TK_SESSION_MAX_DER_LEN]);

/* The stamp travels inside tickets, possibly to other nodes, so it has a fixed, versioned wire format. */
#define TK_STAMP_WIRE_VERSION 1
#define TK_STAMP_WIRE_LEN 25

void tk_stamp_encode(const tk_ticket_stamp *stamp, unsigned char out[TK_STAMP_WIRE_LEN]);
/* tk_stamp_decode returns 1 when |data| holds a stamp of this version, else 0. */
int tk_stamp_decode(const unsigned char *data, size_t len, tk_ticket_stamp *out_stamp);

#endif /* TK_INTERNAL_H */

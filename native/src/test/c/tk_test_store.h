/* tk_test_store.h: a small session store in C behind the shim's cache upcalls, for tests that drive real
 * handshakes through tk_cache_install. It holds up to TK_TEST_STORE_SLOTS sessions, replacing the oldest. */

#ifndef TK_TEST_STORE_H
#define TK_TEST_STORE_H

#include <stdint.h>

#include <openssl/ssl.h>

#include "ticketkeeper.h"
#include "tk_test_upcalls.h"

enum { TK_TEST_STORE_SLOTS = 8 };

/* What the get upcall answers besides an honest lookup. */
typedef enum tk_test_get_mode {
    TK_TEST_GET_HONEST = 0,   /* the stored session, or a miss */
    TK_TEST_GET_GARBAGE,      /* bytes that are not a session */
    TK_TEST_GET_OTHER,        /* another stored session (a foreign entry under this id) */
    TK_TEST_GET_TOO_LONG      /* a length above the capacity */
} tk_test_get_mode;

typedef struct tk_test_store_counts {
    int puts;
    int gets;
    int hits;
    int removes;
    int64_t last_timeout_s;
} tk_test_store_counts;

/* The upcalls of the one store in a test program. */
extern const tk_cache_upcalls tk_test_store_upcalls;

/* tk_test_cache is a server whose only way to resume is this store (tickets off: under TLS 1.3, stateful
 * tickets), TicketKeeper installed with tk_test_no_ticket_upcalls (tk_test_upcalls.h) and the cache in |mode|,
 * and a client. */
typedef struct tk_test_cache {
    SSL_CTX *server;
    SSL_CTX *client;
    tk_handle *handle;
} tk_test_cache;

/* tk_test_cache_open empties the store and sets up |cache|, ending the program if anything fails. */
void tk_test_cache_open(tk_test_cache *cache, int version, int32_t mode);
/* tk_test_cache_close closes the handle (if not NULL), frees both contexts and empties the store. */
void tk_test_cache_close(tk_test_cache *cache);

/* tk_test_store_reset empties the store, zeroes its counts and makes lookups honest again. */
void tk_test_store_reset(void);
void tk_test_store_set_get_mode(tk_test_get_mode mode);
tk_test_store_counts tk_test_store_counts_now(void);
/* tk_test_store_size returns the number of sessions held. */
int tk_test_store_size(void);
/* tk_test_store_der returns the DER of the session in |slot| (NULL when empty) and sets |*out_len|. */
const uint8_t *tk_test_store_der(int slot, uint32_t *out_len);

#endif /* TK_TEST_STORE_H */

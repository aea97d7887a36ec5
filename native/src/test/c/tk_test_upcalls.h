/* tk_test_upcalls.h: the ticket upcalls whose answers tests share, so that each is written once. A test with an
 * upcall of its own (one that counts, records or answers otherwise) writes just that one. */

#ifndef TK_TEST_UPCALLS_H
#define TK_TEST_UPCALLS_H

#include <stdint.h>

#include "ticketkeeper.h"

/* tk_test_seal_none issues no ticket (returns 0). */
int32_t tk_test_seal_none(void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
                          int64_t *out_lifetime_s);
/* tk_test_seal_first seals under the key in slot 0 with the shim's lifetime (returns 1). */
int32_t tk_test_seal_first(void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
                           int64_t *out_lifetime_s);
/* tk_test_open_none rejects every presented ticket (TK_KEY_REJECT): a full handshake. */
int32_t tk_test_open_none(void *user, int64_t context_id, int64_t generation, int32_t slot);
/* tk_test_open_known opens a ticket whose key the table holds (TK_KEY_USE) and rejects one it does not. */
int32_t tk_test_open_known(void *user, int64_t context_id, int64_t generation, int32_t slot);
/* tk_test_stamp_empty stamps with nothing in it (returns 1), so that a sealing upcall gets tickets: the shim issues
 * none unstamped. */
int32_t tk_test_stamp_empty(void *user, int64_t context_id, tk_ticket_stamp *out_stamp,
                            uint32_t *out_max_early_data);
/* tk_test_session_use_opened uses a session from an opened ticket (or found by id) and ignores, renewing, any
 * other. */
int32_t tk_test_session_use_opened(void *user, const tk_session_view *view);

/* Ticket upcalls for tests about something else than tickets (the cache, the key table, attaching): no tickets are
 * issued, presented ones give full handshakes, and a session found by id (TLS 1.3 stateful tickets) is used. */
extern const tk_upcalls tk_test_no_ticket_upcalls;

#endif /* TK_TEST_UPCALLS_H */

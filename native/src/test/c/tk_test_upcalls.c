/* tk_test_upcalls.c: the shared ticket upcalls of tk_test_upcalls.h. */

#include "tk_test_upcalls.h"

int32_t tk_test_seal_none(void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
                          int64_t *out_lifetime_s)
{
    (void)user;
    (void)context_id;
    (void)generation;
    (void)out_slot;
    (void)out_lifetime_s;
    return 0;
}

int32_t tk_test_seal_first(void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
                           int64_t *out_lifetime_s)
{
    (void)user;
    (void)context_id;
    (void)generation;
    (void)out_lifetime_s;
    *out_slot = 0;
    return 1;
}

int32_t tk_test_open_none(void *user, int64_t context_id, int64_t generation, int32_t slot)
{
    (void)user;
    (void)context_id;
    (void)generation;
    (void)slot;
    return TK_KEY_REJECT;
}

int32_t tk_test_open_known(void *user, int64_t context_id, int64_t generation, int32_t slot)
{
    (void)user;
    (void)context_id;
    (void)generation;
    return slot < 0 ? TK_KEY_REJECT : TK_KEY_USE;
}

int32_t tk_test_stamp_empty(void *user, int64_t context_id, tk_ticket_stamp *out_stamp,
                            uint32_t *out_max_early_data)
{
    (void)user;
    (void)context_id;
    (void)out_stamp;
    (void)out_max_early_data;
    return 1;
}

int32_t tk_test_session_use_opened(void *user, const tk_session_view *view)
{
    (void)user;
    int opened = view->status == TK_TICKET_OPENED || view->status == TK_TICKET_OPENED_RENEW;
    return opened ? TK_SESSION_USE : TK_SESSION_IGNORE_RENEW;
}

const tk_upcalls tk_test_no_ticket_upcalls = {NULL, tk_test_seal_none, tk_test_open_none,
                                              tk_test_stamp_empty, tk_test_session_use_opened, NULL};

/* tk_test_handle.h: making a handle and attaching one server context to it, for tests that need only that. */

#ifndef TK_TEST_HANDLE_H
#define TK_TEST_HANDLE_H

#include "ticketkeeper.h"
#include "tk_test.h"

/* The context id every single-context test attaches under, so that upcalls can check it travels. */
enum { TK_TEST_CONTEXT_ID = 42 };

/* tk_test_install makes a handle with |upcalls| and |cache_upcalls| (may be NULL), attaches |ssl_ctx| under
 * TK_TEST_CONTEXT_ID and returns the handle, ending the program if either step fails. */
static inline tk_handle *tk_test_install(void *ssl_ctx, const tk_upcalls *upcalls,
                                         const tk_cache_upcalls *cache_upcalls)
{
    tk_handle *handle = NULL;
    CHECK_EQ(tk_handle_new(upcalls, cache_upcalls, &handle), TK_OK);
    CHECK(handle != NULL);
    CHECK_EQ(tk_attach(handle, ssl_ctx, TK_TEST_CONTEXT_ID), TK_OK);
    return handle;
}

#endif /* TK_TEST_HANDLE_H */

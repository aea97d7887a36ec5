/* tk_call.c: the read section every OpenSSL callback that may call an upcall runs in (tk_call_begin, tk_call_end).
 * It depends only on the handle and its epoch, so the files that attach contexts (tk_context.c) and the callbacks
 * (tk_tickets.c, tk_cache.c, tk_crypto_*.c) both use it without depending on each other. */

#include "tk_internal.h"

int tk_call_begin(tk_call *call, const tk_context *context, tk_counter *closed_counter)
{
    tk_handle *handle = context->handle;
    call->handle = handle;
    call->context = context;
    call->phase = tk_epoch_enter(&handle->epoch);
    if (atomic_load(&handle->closed)) {
        tk_count(closed_counter);
        tk_epoch_exit(&handle->epoch, call->phase);
        return 0;
    }
    if (atomic_load(&context->state) != TK_CONTEXT_ATTACHED) {
        tk_count(&handle->detached_callbacks);
        tk_epoch_exit(&handle->epoch, call->phase);
        return 0;
    }
    return 1;
}

void tk_call_end(tk_call *call)
{
    tk_epoch_exit(&call->handle->epoch, call->phase);
}

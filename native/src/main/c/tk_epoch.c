/* tk_epoch.c: grace periods for lock-free readers (a two-phase counter scheme in the manner of SRCU), with the
 * readers' counters striped per thread.
 *
 * A reader increments its stripe's counter of the current phase and decrements the same counter when it leaves. A
 * writer publishes its new state first, then flips the phase twice, each time waiting until the counters of the
 * phase it left, summed over all stripes, are zero. A reader that could have seen the old state entered before the
 * first flip, so it is counted under one of the two phases, and both have drained when tk_epoch_synchronize
 * returns. Readers that enter after a flip use the other phase, so a writer is never starved by a steady stream of
 * handshakes.
 *
 * Why a sum read stripe by stripe is enough: a reader increments and decrements the same counter, and its
 * increment comes before its decrement in that counter's modification order, so every value any load of a counter
 * returns is the number of readers inside it at that point of its order: never negative. A reader R that could
 * have seen the old state counted itself before the writer published (below), so every load of R's counter after
 * the flip includes R's increment and, while R is inside, is at least 1; the other stripes add nothing negative.
 * So a sum of zero means that R had left when its stripe was read, for every such R, though the stripes are read
 * at different instants. (Linux's SRCU needs more care because its readers may lock on one CPU's counter and
 * unlock on another's; here they cannot.)
 *
 * Ordering: this is a store-then-load handshake on both sides (the reader stores its count, then loads the
 * published state; the writer stores the new state, then loads the counts), which only sequentially consistent
 * operations order. So every access to the phase and the counters here, and the publication and load of the state
 * itself (tk_handle.c, tk_tickets.c), uses the default memory_order_seq_cst; relaxed or acquire/release would let
 * a reader count itself too late and still read the old state after the writer has freed it. */

#include "tk_internal.h"

/* The next stripe a new thread takes, for every epoch in the process: written once per thread, never again. */
static atomic_uint tk_next_stripe;
/* This thread's stripe plus one; 0 until the thread first enters an epoch. */
static _Thread_local unsigned int tk_thread_stripe;

static unsigned int tk_epoch_stripe_of_thread(void)
{
    if (tk_thread_stripe == 0) {
        tk_thread_stripe = 1 + atomic_fetch_add_explicit(&tk_next_stripe, 1, memory_order_relaxed) % TK_EPOCH_STRIPES;
    }
    return tk_thread_stripe - 1;
}

int tk_epoch_enter(tk_epoch *epoch)
{
    unsigned int stripe = tk_epoch_stripe_of_thread();
    int phase = (int)(atomic_load(&epoch->phase) & 1);
    atomic_fetch_add(&epoch->stripes[stripe].readers[phase], 1);
    return (int)(stripe << 1) | phase;
}

int tk_epoch_token_stripe(int token)
{
    return token >> 1;
}

void tk_epoch_exit(tk_epoch *epoch, int token)
{
    atomic_fetch_sub(&epoch->stripes[tk_epoch_token_stripe(token)].readers[token & 1], 1);
}

int64_t tk_epoch_readers(const tk_epoch *epoch, int phase)
{
    int64_t sum = 0;
    for (size_t stripe = 0; stripe < TK_EPOCH_STRIPES; stripe++) {
        sum += (int64_t)atomic_load(&epoch->stripes[stripe].readers[phase & 1]);
    }
    return sum;
}

static void tk_epoch_flip_and_drain(tk_epoch *epoch)
{
    int left = (int)(atomic_fetch_add(&epoch->phase, 1) & 1);
    while (tk_epoch_readers(epoch, left) != 0) {
        tk_thread_yield();
    }
}

void tk_epoch_synchronize(tk_epoch *epoch)
{
    tk_epoch_flip_and_drain(epoch);
    tk_epoch_flip_and_drain(epoch);
}

void tk_epoch_wait_idle(const tk_epoch *epoch)
{
    while (tk_epoch_readers(epoch, 0) != 0 || tk_epoch_readers(epoch, 1) != 0) {
        tk_thread_yield();
    }
}

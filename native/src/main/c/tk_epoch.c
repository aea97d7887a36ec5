/* tk_epoch.c: grace periods for lock-free readers (a two-phase counter scheme in the manner of SRCU).
 *
 * A reader increments the counter of the current phase and decrements the same counter when it leaves. A writer
 * publishes its new state first, then flips the phase twice, each time waiting for the counter of the phase it
 * left to drain. A reader that could have seen the old state entered before the first flip, so it is counted in
 * one of the two counters, and both have drained when tk_epoch_synchronize returns. Readers that enter after a
 * flip use the other counter, so a writer is never starved by a steady stream of handshakes.
 *
 * Ordering: this is a store-then-load handshake on both sides (the reader stores its count, then loads the
 * published state; the writer stores the new state, then loads the counts), which only sequentially consistent
 * operations order. So every access here, and the publication and load of the state itself (tk_handle.c,
 * tk_tickets.c), uses the default memory_order_seq_cst; relaxed or acquire/release would let a reader count
 * itself too late and still read the old state after the writer has freed it. */

#include "tk_internal.h"

int tk_epoch_enter(tk_epoch *epoch)
{
    int phase = (int)(atomic_load(&epoch->phase) & 1);
    atomic_fetch_add(&epoch->readers[phase], 1);
    return phase;
}

void tk_epoch_exit(tk_epoch *epoch, int phase)
{
    atomic_fetch_sub(&epoch->readers[phase], 1);
}

static void tk_epoch_flip_and_drain(tk_epoch *epoch)
{
    int left = (int)(atomic_fetch_add(&epoch->phase, 1) & 1);
    while (atomic_load(&epoch->readers[left]) != 0) {
        tk_thread_yield();
    }
}

void tk_epoch_synchronize(tk_epoch *epoch)
{
    tk_epoch_flip_and_drain(epoch);
    tk_epoch_flip_and_drain(epoch);
}

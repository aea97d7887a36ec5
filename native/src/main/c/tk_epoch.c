/* tk_epoch.c: grace periods for lock-free readers (a two-phase counter scheme in the manner of SRCU).
 *
 * A reader increments the counter of the current phase and decrements the same counter when it leaves. A writer
 * publishes its new state first, then flips the phase twice, each time waiting for the counter of the phase it
 * left to drain. A reader that could have seen the old state entered before the first flip, so it is counted in
 * one of the two counters, and both have drained when tk_epoch_synchronize returns. Readers that enter after a
 * flip use the other counter, so a writer is never starved by a steady stream of handshakes. */

#include <sched.h>

#include "tk_internal.h"

int tk_epoch_enter(tk_epoch *epoch)
{
    int ticket = (int)(atomic_load(&epoch->phase) & 1);
    atomic_fetch_add(&epoch->readers[ticket], 1);
    return ticket;
}

void tk_epoch_exit(tk_epoch *epoch, int ticket)
{
    atomic_fetch_sub(&epoch->readers[ticket], 1);
}

static void tk_epoch_flip_and_drain(tk_epoch *epoch)
{
    int left = (int)(atomic_fetch_add(&epoch->phase, 1) & 1);
    while (atomic_load(&epoch->readers[left]) != 0) {
        sched_yield();
    }
}

void tk_epoch_synchronize(tk_epoch *epoch)
{
    tk_epoch_flip_and_drain(epoch);
    tk_epoch_flip_and_drain(epoch);
}

package io.ticketkeeper.internal;

import io.ticketkeeper.TicketStats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What handshakes decided, counted on handshake threads without a lock: one set for a handle's totals and one per
 * attached context. The native shim's own counters come in at {@link #stats(ShimStats)}.
 */
public final class TicketCounters {
    final LongAdder sealed = new LongAdder();
    final LongAdder unsealed = new LongAdder();
    final LongAdder resumed = new LongAdder();
    final LongAdder renewed = new LongAdder();
    final LongAdder rejectedUnknownKey = new LongAdder();
    final LongAdder rejectedByPolicy = new LongAdder();
    final LongAdder rejectedOtherHost = new LongAdder();
    final LongAdder aborted = new LongAdder();
    final LongAdder foreignTickets = new LongAdder();
    final LongAdder policyErrors = new LongAdder();
    final LongAdder upcallErrors = new LongAdder();
    final LongAdder rejectedUnbound = new LongAdder();
    final LongAdder rejectedReusedTicket = new LongAdder();
    final LongAdder rejectedUncheckedTicket = new LongAdder();
    /**
     * Failures that could not be counted the usual way (the counting or logging itself failed: out of memory or
     * stack); shown in {@code upcallErrors}. An AtomicLong's increment allocates nothing, where a LongAdder's may.
     */
    private final AtomicLong unrecorded = new AtomicLong();

    /** Counts a failure without allocating or throwing: the last line of defence of an upcall's catch block. */
    public void lastResort() {
        try {
            unrecorded.getAndIncrement();
        } catch (Throwable ignored) {
            // Nothing is left to do: the caller returns the safe outcome.
        }
    }

    public TicketStats stats(ShimStats shim) {
        return new TicketStats(sealed.sum(), resumed.sum(), renewed.sum(), rejectedUnknownKey.sum(),
                rejectedByPolicy.sum(), rejectedOtherHost.sum(), aborted.sum(), foreignTickets.sum(),
                policyErrors.sum(), upcallErrors.sum() + unrecorded.get(), shim.closedCallbacks(),
                shim.detachedCallbacks(), shim.cryptoErrors(), shim.badDecisions(), unsealed.sum(),
                shim.unstampedTicketsRefused(), rejectedUnbound.sum(), rejectedReusedTicket.sum(),
                rejectedUncheckedTicket.sum());
    }
}

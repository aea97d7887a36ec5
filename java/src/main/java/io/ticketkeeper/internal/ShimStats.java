package io.ticketkeeper.internal;

/** The counters the native shim keeps for events it handles without asking Java (tk_stats). */
public record ShimStats(long closedCallbacks, long detachedCallbacks, long cryptoErrors, long badDecisions,
        long unstampedTicketsRefused) {
    /** For what the shim counts per handle only: a context's share is not known. */
    public static final ShimStats NONE = new ShimStats(0, 0, 0, 0, 0);
}

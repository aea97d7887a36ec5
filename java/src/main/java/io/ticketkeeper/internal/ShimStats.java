package io.ticketkeeper.internal;

/** The counters the native shim keeps for events it handles without asking Java. */
public record ShimStats(long closedCallbacks, long cryptoErrors, long badDecisions) {
    public static final ShimStats NONE = new ShimStats(0, 0, 0);
}

package io.ticketkeeper.internal;

/** The counters the native shim keeps for events it handles without asking Java. */
public record ShimStats(long closedCallbacks, long detachedCallbacks, long cryptoErrors, long badDecisions) {
}

package io.ticketkeeper.internal;

/** The counters the native shim keeps for session cache events it handles without asking Java. */
public record CacheShimStats(long statelessSkipped, long tooLarge, long badSessions, long closedCallbacks) {
    public static final CacheShimStats NONE = new CacheShimStats(0, 0, 0, 0);
}

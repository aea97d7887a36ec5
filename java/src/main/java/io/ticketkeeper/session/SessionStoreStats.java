package io.ticketkeeper.session;

/**
 * A snapshot of a store's own counters.
 *
 * @param hits lookups that found a session
 * @param misses lookups that found none
 * @param puts sessions stored
 * @param removes removals asked for
 * @param evictions entries dropped for size or age (in-memory stores)
 * @param timeouts calls that took longer than the store's timeout and were answered as misses (remote stores)
 * @param failures calls that failed (for example the server was down) and were answered as misses (remote stores)
 * @param rejected entries that did not open: tampered, sealed under an unknown key, or made for another id
 */
public record SessionStoreStats(long hits, long misses, long puts, long removes, long evictions, long timeouts,
        long failures, long rejected) {
}

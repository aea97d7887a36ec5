package io.ticketkeeper;

/**
 * What a handle decided on TLS 1.3 early data. {@code offered} counts the resumptions OpenSSL asked about (those
 * that passed its own checks, freshness among them); each ends in exactly one of the other counters.
 *
 * @param offered resumptions offering early data that reached the decision
 * @param accepted early data accepted
 * @param rejectedPolicy refused by the policy (or the policy threw: also counted in {@code policyErrors})
 * @param rejectedReplay refused as a replay: the record had seen the ClientHello within its window
 * @param rejectedStarting refused because the record started less than a window ago and the ticket is older
 * @param rejectedFull refused because the record was full
 * @param rejectedUnavailable refused because the record could not be reached within its bound
 * @param policyErrors exceptions thrown by the policy or the record
 */
public record EarlyDataStats(long offered, long accepted, long rejectedPolicy, long rejectedReplay,
        long rejectedStarting, long rejectedFull, long rejectedUnavailable, long policyErrors) {
    /** All zero: early data off. */
    public static final EarlyDataStats NONE = new EarlyDataStats(0, 0, 0, 0, 0, 0, 0, 0);
}

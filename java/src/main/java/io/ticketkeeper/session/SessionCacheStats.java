package io.ticketkeeper.session;

/**
 * A snapshot of one handle's session cache counters.
 *
 * @param lookups sessions OpenSSL asked the store for
 * @param hits lookups the store answered with a session
 * @param misses lookups without a usable answer (full handshake), failures included
 * @param stored new sessions handed to the store
 * @param removed sessions OpenSSL dropped and the store was told to forget
 * @param storeFailures store calls that threw; each was answered as a miss or skipped
 * @param tooLarge sessions longer than the shim's bound, not stored; or store answers too long to use
 * @param badSessions store answers that did not parse as a session or held another session id (misses)
 * @param statelessSkipped TLS 1.3 sessions not stored because a stateless ticket carries them
 * @param closedCallbacks cache callbacks after the handle closed, answered as misses
 * @param otherHostMisses lookups that found a session stored by a context of another virtual host (or stored without
 *     the host it belongs to): misses, so a session id resumes only on its own host
 */
public record SessionCacheStats(long lookups, long hits, long misses, long stored, long removed, long storeFailures,
        long tooLarge, long badSessions, long statelessSkipped, long closedCallbacks, long otherHostMisses) {
}

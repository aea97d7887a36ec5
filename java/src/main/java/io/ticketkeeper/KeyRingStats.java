package io.ticketkeeper;

/**
 * A snapshot of a handle's key ring: its size and generation, how many of each {@link KeyEvent} it has seen, and the
 * health of its key source.
 *
 * @param generation the generation of the published keys
 * @param keyCount how many keys are published
 * @param staged keys staged so far
 * @param promoted keys promoted to sealing
 * @param retired keys that stopped sealing
 * @param expired keys dropped and cleansed
 * @param loadFailures failed refreshes of the key source (bad files and the like)
 * @param refreshes refreshes that published a new set of keys
 * @param fetched keys the source learned from elsewhere (a fleet's other servers)
 * @param refused entries the source could not use, kept out of the ring
 * @param source the health of the key source's service ({@link KeySourceHealth#local()} when it needs none)
 */
public record KeyRingStats(long generation, int keyCount, long staged, long promoted, long retired, long expired,
        long loadFailures, long refreshes, long fetched, long refused, KeySourceHealth source) {
}

package io.ticketkeeper;

import java.time.Instant;

/**
 * One published key's counters and schedule.
 *
 * @param key the key's display name (the start of its name only)
 * @param state where the key stands by the handle's clock
 * @param notBefore when it may start sealing
 * @param sealUntil when it stops sealing
 * @param openUntil when it stops opening tickets
 * @param sealed tickets it sealed
 * @param opened presented tickets it opened for a resumption
 * @param rejected presented tickets under it that the key decision turned away
 */
public record KeyStats(String key, KeyState state, Instant notBefore, Instant sealUntil, Instant openUntil,
        long sealed, long opened, long rejected) {
}

package io.ticketkeeper.cli;

import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketKeeperHandle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code serve}'s key ring of generated keys: the newest key encrypts; on each rotation a fresh key takes over and
 * the old ones stay for decryption until every ticket they sealed is past the maximum age, then are destroyed.
 * Rotation publishes through {@link TicketKeeperHandle#setKeys}, so the default policy renews tickets under the
 * retired keys.
 */
final class GeneratedKeyRing {
    private record Retired(TicketKey key, Instant retiredAt) {
    }

    private final Clock clock;
    private final Duration maxAge;
    private TicketKey current = TicketKey.generate();
    private final List<Retired> retired = new ArrayList<>();

    GeneratedKeyRing(Clock clock, Duration maxAge) {
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** The keys to publish: the encrypting key first. */
    synchronized List<TicketKey> keys() {
        List<TicketKey> keys = new ArrayList<>();
        keys.add(current);
        for (Retired old : retired) {
            keys.add(old.key());
        }
        return keys;
    }

    /** Puts a fresh key in front, drops keys no live ticket can need, and publishes the result on {@code handle}. */
    synchronized void rotate(TicketKeeperHandle handle) {
        Instant now = clock.instant();
        retired.add(0, new Retired(current, now));
        current = TicketKey.generate();
        List<TicketKey> expired = new ArrayList<>();
        retired.removeIf(old -> {
            boolean gone = !old.retiredAt().plus(maxAge).isAfter(now);
            if (gone) {
                expired.add(old.key());
            }
            return gone;
        });
        handle.setKeys(keys());
        // setKeys returns once no handshake reads the old native table, so the dropped keys can go.
        expired.forEach(TicketKey::destroy);
    }
}

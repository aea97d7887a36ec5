package io.ticketkeeper.session.redis;

import io.ticketkeeper.internal.SealedEntries;
import io.ticketkeeper.session.SessionId;

import java.util.Optional;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Seals sessions for a shared store: {@link SealedEntries} of the domain {@code "ticketkeeper session v1"} with the
 * session id as the context, so an entry copied under another id, or with its key id changed, does not open.
 */
final class SessionSealer {
    private static final String DOMAIN = "ticketkeeper session v1";

    private final SealedEntries entries;

    SessionSealer(List<SealingKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a sealed store needs at least one sealing key");
        }
        this.entries = SealedEntries.of(DOMAIN, keys);
    }

    byte[] seal(SessionId id, byte[] session) throws GeneralSecurityException {
        return entries.seal(id.bytes(), session);
    }

    /** The session in {@code entry}; empty when it is malformed, under an unknown key, or does not authenticate. */
    Optional<byte[]> open(SessionId id, byte[] entry) {
        try {
            return Optional.of(entries.open(id.bytes(), entry));
        } catch (GeneralSecurityException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}

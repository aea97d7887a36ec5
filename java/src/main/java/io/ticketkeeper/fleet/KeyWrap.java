package io.ticketkeeper.fleet;

import io.ticketkeeper.internal.SealedEntries;
import io.ticketkeeper.session.redis.SealingKey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Ticket keys wrapped at rest with AES-256-GCM under the fleet's wrapping keys ({@link SealedEntries}, the format
 * the Redis session store uses too: the first key wraps, every key unwraps, the key id is in each entry), each
 * entry bound to its Redis key name so that it cannot be moved to another period. Also the fleet's check values: a
 * constant sealed under a wrapping key, which a node opens to prove that its key of that id is the fleet's.
 */
final class KeyWrap {
    private static final String KEY_DOMAIN = "ticketkeeper fleet key v1";
    private static final String CHECK_DOMAIN = "ticketkeeper fleet check v1";
    private static final byte[] CHECK_TEXT = "the fleet's wrapping key".getBytes(StandardCharsets.US_ASCII);

    private final SealedEntries keys;
    private final SealedEntries checks;

    KeyWrap(List<SealingKey> wrappingKeys) {
        this.keys = SealedEntries.of(KEY_DOMAIN, wrappingKeys);
        this.checks = SealedEntries.of(CHECK_DOMAIN, wrappingKeys);
    }

    /** The id of the key that wraps (the first). */
    String wrappingId() {
        return keys.sealingKey().id();
    }

    /** The ids of every key that unwraps, the wrapping one first. */
    Set<String> ids() {
        return keys.keyIds();
    }

    byte[] wrap(byte[] redisKey, byte[] plaintext) throws GeneralSecurityException {
        return keys.seal(redisKey, plaintext);
    }

    /**
     * The plaintext of {@code entry}, kept under {@code redisKey}; the caller wipes it.
     *
     * @throws GeneralSecurityException saying why it does not unwrap
     */
    byte[] unwrap(byte[] redisKey, byte[] entry) throws GeneralSecurityException {
        return keys.open(redisKey, entry);
    }

    /** A check value for the wrapping key, bound to {@code where} (the hash and field it is kept in). */
    byte[] check(byte[] where) throws GeneralSecurityException {
        return checks.seal(where, CHECK_TEXT);
    }

    /** Why {@code check} (kept at {@code where}) does not open with this node's key of its id, or null when it does. */
    String checkFails(byte[] where, byte[] check) {
        try {
            byte[] text = checks.open(where, check);
            return Arrays.equals(text, CHECK_TEXT) ? null : "its check value holds something else";
        } catch (GeneralSecurityException e) {
            return e.getMessage();
        }
    }

    @Override
    public String toString() {
        return "wrapped by " + wrappingId() + ", unwrapped by " + ids();
    }
}

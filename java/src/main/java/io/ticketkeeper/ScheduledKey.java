package io.ticketkeeper;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A ticket key with its schedule: before {@code notBefore} it is <em>staged</em> (it opens tickets but seals none,
 * so every server of a fleet can learn it before any server seals with it); from {@code notBefore} until
 * {@code encryptUntil} it may seal new tickets; until {@code decryptUntil} it opens tickets; after that it is
 * expired and dropped. {@link #FOREVER} stands for "no end".
 */
public final class ScheduledKey {
    /** A time that never comes: a key whose {@code decryptUntil} is this never expires. */
    public static final Instant FOREVER = Instant.ofEpochMilli(Long.MAX_VALUE);
    /** A time long past: a key whose {@code encryptUntil} is this never seals. */
    public static final Instant ALWAYS = Instant.ofEpochMilli(Long.MIN_VALUE);

    private final TicketKey key;
    private final long notBeforeMillis;
    private final long encryptUntilMillis;
    private final long decryptUntilMillis;

    private ScheduledKey(TicketKey key, long notBeforeMillis, long encryptUntilMillis, long decryptUntilMillis) {
        this.key = key;
        this.notBeforeMillis = notBeforeMillis;
        this.encryptUntilMillis = encryptUntilMillis;
        this.decryptUntilMillis = decryptUntilMillis;
    }

    /**
     * A key that seals from {@code notBefore} until {@code encryptUntil} and opens until {@code decryptUntil}.
     *
     * @throws IllegalArgumentException when {@code encryptUntil} is after {@code decryptUntil}, or the key is
     *     destroyed
     */
    public static ScheduledKey of(TicketKey key, Instant notBefore, Instant encryptUntil, Instant decryptUntil) {
        Objects.requireNonNull(key, "key");
        long start = millis(Objects.requireNonNull(notBefore, "notBefore"));
        long encryptEnd = millis(Objects.requireNonNull(encryptUntil, "encryptUntil"));
        long decryptEnd = millis(Objects.requireNonNull(decryptUntil, "decryptUntil"));
        if (encryptEnd > decryptEnd) {
            throw new IllegalArgumentException("encryptUntil (" + encryptUntil + ") of " + key
                    + " is after its decryptUntil (" + decryptUntil + ")");
        }
        if (key.isDestroyed()) {
            throw new IllegalArgumentException(key + " is destroyed");
        }
        return new ScheduledKey(key, start, encryptEnd, decryptEnd);
    }

    /** A schedule already checked once, rebuilt from a snapshot (whose keys may since have been destroyed). */
    static ScheduledKey trusted(TicketKey key, long notBefore, long encryptUntil, long decryptUntil) {
        return new ScheduledKey(key, notBefore, encryptUntil, decryptUntil);
    }

    /** A key that seals from {@code notBefore} for {@code encryptFor}, then only opens for {@code decryptFor}. */
    public static ScheduledKey starting(TicketKey key, Instant notBefore, Duration encryptFor, Duration decryptFor) {
        Instant encryptUntil = notBefore.plus(encryptFor);
        return of(key, notBefore, encryptUntil, encryptUntil.plus(decryptFor));
    }

    /** A key that seals and opens with no time limit. */
    public static ScheduledKey always(TicketKey key) {
        return of(key, ALWAYS, FOREVER, FOREVER);
    }

    /** A key that never seals and opens until {@code decryptUntil}. */
    public static ScheduledKey decryptOnly(TicketKey key, Instant decryptUntil) {
        return of(key, ALWAYS, ALWAYS, decryptUntil);
    }

    static long millis(Instant instant) {
        if (instant.isBefore(ALWAYS)) {
            return Long.MIN_VALUE;
        }
        return instant.isAfter(FOREVER) ? Long.MAX_VALUE : instant.toEpochMilli();
    }

    public TicketKey key() {
        return key;
    }

    public Instant notBefore() {
        return Instant.ofEpochMilli(notBeforeMillis);
    }

    public Instant encryptUntil() {
        return Instant.ofEpochMilli(encryptUntilMillis);
    }

    public Instant decryptUntil() {
        return Instant.ofEpochMilli(decryptUntilMillis);
    }

    public long notBeforeMillis() {
        return notBeforeMillis;
    }

    public long encryptUntilMillis() {
        return encryptUntilMillis;
    }

    public long decryptUntilMillis() {
        return decryptUntilMillis;
    }

    /** The same key sealing no more and opening until {@code decryptUntil} at the latest: taken out of service. */
    ScheduledKey retiredUntil(long decryptUntil) {
        return new ScheduledKey(key, notBeforeMillis, Long.MIN_VALUE, Math.min(decryptUntilMillis, decryptUntil));
    }

    /** Whether {@code other} is the same key material on the same schedule. */
    boolean sameAs(ScheduledKey other) {
        return notBeforeMillis == other.notBeforeMillis && encryptUntilMillis == other.encryptUntilMillis
                && decryptUntilMillis == other.decryptUntilMillis && key.sameMaterial(other.key);
    }

    /** Where the key stands at {@code nowMillis}. */
    public KeyState stateAt(long nowMillis) {
        if (nowMillis >= decryptUntilMillis) {
            return KeyState.EXPIRED;
        }
        if (nowMillis < notBeforeMillis) {
            return KeyState.STAGED;
        }
        return nowMillis < encryptUntilMillis ? KeyState.ENCRYPTING : KeyState.DECRYPT_ONLY;
    }

    @Override
    public String toString() {
        return "ScheduledKey{" + key + ", notBefore=" + show(notBeforeMillis) + ", encryptUntil="
                + show(encryptUntilMillis) + ", decryptUntil=" + show(decryptUntilMillis) + "}";
    }

    private static String show(long millis) {
        if (millis == Long.MAX_VALUE) {
            return "forever";
        }
        return millis == Long.MIN_VALUE ? "always" : Instant.ofEpochMilli(millis).toString();
    }
}

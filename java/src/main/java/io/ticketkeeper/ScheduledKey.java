package io.ticketkeeper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A ticket key with its schedule: before {@code notBefore} it is <em>staged</em> (it opens tickets but seals none,
 * so every server of a fleet can learn it before any server seals with it); from {@code notBefore} until
 * {@code sealUntil} it may seal new tickets; until {@code openUntil} it opens tickets; after that it is expired and
 * dropped. Two schedules are equal when they hold equal keys ({@link TicketKey#equals}) on the same times.
 */
public final class ScheduledKey {
    /** A time that never comes: a key whose {@code openUntil} (or {@code sealUntil}) is this never stops. */
    public static final Instant FOREVER = Instant.ofEpochMilli(Long.MAX_VALUE);
    /**
     * A time long gone: as {@code notBefore} it means "from the start"; as {@code sealUntil} it means the key never
     * seals ({@link #openOnly}).
     */
    public static final Instant DISTANT_PAST = Instant.ofEpochMilli(Long.MIN_VALUE);

    private final TicketKey key;
    private final long notBeforeMillis;
    private final long sealUntilMillis;
    private final long openUntilMillis;

    private ScheduledKey(TicketKey key, long notBeforeMillis, long sealUntilMillis, long openUntilMillis) {
        this.key = key;
        this.notBeforeMillis = notBeforeMillis;
        this.sealUntilMillis = sealUntilMillis;
        this.openUntilMillis = openUntilMillis;
    }

    /**
     * A key that seals from {@code notBefore} until {@code sealUntil} and opens until {@code openUntil}.
     *
     * @throws IllegalArgumentException when {@code sealUntil} is after {@code openUntil}, or the key is destroyed
     */
    public static ScheduledKey of(TicketKey key, Instant notBefore, Instant sealUntil, Instant openUntil) {
        KeyLists.requireUsable(key, "key");
        long start = millis(Objects.requireNonNull(notBefore, "notBefore"));
        long sealEnd = millis(Objects.requireNonNull(sealUntil, "sealUntil"));
        long openEnd = millis(Objects.requireNonNull(openUntil, "openUntil"));
        if (sealEnd > openEnd) {
            throw new IllegalArgumentException("sealUntil (" + sealUntil + ") of " + key + " is after its openUntil ("
                    + openUntil + ")");
        }
        return new ScheduledKey(key, start, sealEnd, openEnd);
    }

    /** A schedule already checked once, rebuilt from a snapshot (whose keys may since have been destroyed). */
    static ScheduledKey trusted(TicketKey key, long notBefore, long sealUntil, long openUntil) {
        return new ScheduledKey(key, notBefore, sealUntil, openUntil);
    }

    /** A key that seals and opens with no time limit. */
    public static ScheduledKey unlimited(TicketKey key) {
        return of(key, DISTANT_PAST, FOREVER, FOREVER);
    }

    /** A key that never seals and opens until {@code openUntil}. */
    public static ScheduledKey openOnly(TicketKey key, Instant openUntil) {
        return of(key, DISTANT_PAST, DISTANT_PAST, openUntil);
    }

    /**
     * nginx's rule for a plain list of keys, which TicketKeeper follows wherever keys come without schedules: the
     * first key seals, all keys open, with no time limit.
     */
    static List<ScheduledKey> firstSeals(List<TicketKey> keys) {
        List<ScheduledKey> scheduled = new ArrayList<>(keys.size());
        for (int slot = 0; slot < keys.size(); slot++) {
            TicketKey key = keys.get(slot);
            scheduled.add(slot == 0 ? unlimited(key) : openOnly(key, FOREVER));
        }
        return scheduled;
    }

    static long millis(Instant instant) {
        if (instant.isBefore(DISTANT_PAST)) {
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

    public Instant sealUntil() {
        return Instant.ofEpochMilli(sealUntilMillis);
    }

    public Instant openUntil() {
        return Instant.ofEpochMilli(openUntilMillis);
    }

    public long notBeforeMillis() {
        return notBeforeMillis;
    }

    public long sealUntilMillis() {
        return sealUntilMillis;
    }

    public long openUntilMillis() {
        return openUntilMillis;
    }

    /** The same key sealing no more and opening until {@code openUntil} at the latest: taken out of service. */
    ScheduledKey retiredUntil(long openUntil) {
        return new ScheduledKey(key, notBeforeMillis, Long.MIN_VALUE, Math.min(openUntilMillis, openUntil));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScheduledKey that && notBeforeMillis == that.notBeforeMillis
                && sealUntilMillis == that.sealUntilMillis && openUntilMillis == that.openUntilMillis
                && key.equals(that.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, notBeforeMillis, sealUntilMillis, openUntilMillis);
    }

    /** Where the key stands at {@code nowMillis}. */
    public KeyState stateAt(long nowMillis) {
        if (nowMillis >= openUntilMillis) {
            return KeyState.EXPIRED;
        }
        if (nowMillis < notBeforeMillis) {
            return KeyState.STAGED;
        }
        return nowMillis < sealUntilMillis ? KeyState.SEALING : KeyState.OPEN_ONLY;
    }

    @Override
    public String toString() {
        return "ScheduledKey{" + key + ", notBefore=" + show(notBeforeMillis) + ", sealUntil="
                + show(sealUntilMillis) + ", openUntil=" + show(openUntilMillis) + "}";
    }

    private static String show(long millis) {
        if (millis == Long.MAX_VALUE) {
            return "forever";
        }
        return millis == Long.MIN_VALUE ? "distant past" : Instant.ofEpochMilli(millis).toString();
    }
}

package io.ticketkeeper;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable, ordered set of published keys with the generation number under which they were published, and
 * each key's schedule, so that a policy decides from the slot alone, in constant time and without allocating.
 *
 * <p>Keys published as a plain list ({@link TicketKeeperHandle#setKeys}) have no time limits: the first seals, the
 * others only open. Keys published from a schedule are ordered newest first (latest not-before first), so the
 * first slot that may seal is the newest key that may.
 */
public final class KeySnapshot {
    private final long generation;
    private final TicketKey[] keys;
    private final long[] notBefore;
    private final long[] sealUntil;
    private final long[] openUntil;
    private final long lastEncryptUntil;

    /** No keys: what a handle holds before its first publication. */
    static final KeySnapshot EMPTY = new KeySnapshot(0, new ScheduledKey[0]);

    private KeySnapshot(long generation, ScheduledKey[] scheduled) {
        this.generation = generation;
        int size = scheduled.length;
        this.keys = new TicketKey[size];
        this.notBefore = new long[size];
        this.sealUntil = new long[size];
        this.openUntil = new long[size];
        for (int slot = 0; slot < size; slot++) {
            keys[slot] = scheduled[slot].key();
            notBefore[slot] = scheduled[slot].notBeforeMillis();
            sealUntil[slot] = scheduled[slot].sealUntilMillis();
            openUntil[slot] = scheduled[slot].openUntilMillis();
        }
        long last = Long.MIN_VALUE;
        for (int slot = 0; slot < size; slot++) {
            last = Math.max(last, Math.min(sealUntil[slot], openUntil[slot]));
        }
        this.lastEncryptUntil = last;
    }

    /** Keys in the order given; the key ring orders them newest first. */
    static KeySnapshot scheduled(long generation, List<ScheduledKey> keys) {
        return new KeySnapshot(generation, keys.toArray(new ScheduledKey[0]));
    }

    public long generation() {
        return generation;
    }

    public int size() {
        return keys.length;
    }

    /** The key in {@code slot}, which is between 0 and {@link #size()} - 1. */
    public TicketKey key(int slot) {
        return keys[slot];
    }

    public List<TicketKey> keys() {
        return List.of(keys);
    }

    /** When the key in {@code slot} may start sealing, in ms since the epoch ({@code Long.MIN_VALUE}: always). */
    public long notBeforeMillis(int slot) {
        return notBefore[slot];
    }

    /** When the key in {@code slot} stops sealing ({@code Long.MIN_VALUE}: it never seals). */
    public long sealUntilMillis(int slot) {
        return sealUntil[slot];
    }

    /** When the key in {@code slot} stops opening tickets ({@code Long.MAX_VALUE}: never). */
    public long openUntilMillis(int slot) {
        return openUntil[slot];
    }

    /** The time after which no key of this snapshot seals ({@code Long.MIN_VALUE} when none ever does). */
    public long lastSealUntilMillis() {
        return lastEncryptUntil;
    }

    /** Whether the key in {@code slot} may seal at {@code nowMillis}. */
    public boolean seals(int slot, long nowMillis) {
        return notBefore[slot] <= nowMillis && nowMillis < sealUntil[slot] && nowMillis < openUntil[slot];
    }

    /** Whether the key in {@code slot} opens tickets at {@code nowMillis}; staged keys do. */
    public boolean opens(int slot, long nowMillis) {
        return nowMillis < openUntil[slot];
    }

    /** The schedule of the key in {@code slot}. */
    public ScheduledKey scheduledKey(int slot) {
        return ScheduledKey.trusted(keys[slot], notBefore[slot], sealUntil[slot], openUntil[slot]);
    }

    /** Every key with its schedule, in slot order. */
    public List<ScheduledKey> scheduledKeys() {
        List<ScheduledKey> all = new ArrayList<>(keys.length);
        for (int slot = 0; slot < keys.length; slot++) {
            all.add(scheduledKey(slot));
        }
        return List.copyOf(all);
    }

    /** Equal snapshots have the same generation and equal keys on equal schedules, slot for slot. */
    @Override
    public boolean equals(Object other) {
        return other instanceof KeySnapshot that && generation == that.generation
                && scheduledKeys().equals(that.scheduledKeys());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(generation) * 31 + keys.length;
    }

    @Override
    public String toString() {
        return "KeySnapshot{generation=" + generation + ", keys=" + (keys.length <= 8 ? List.of(keys).toString()
                : keys.length + " keys") + "}";
    }
}

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
    private final long[] encryptUntil;
    private final long[] decryptUntil;
    private final long lastEncryptUntil;

    KeySnapshot(long generation, List<TicketKey> keys) {
        this(generation, unscheduled(keys));
    }

    private KeySnapshot(long generation, ScheduledKey[] scheduled) {
        this.generation = generation;
        int size = scheduled.length;
        this.keys = new TicketKey[size];
        this.notBefore = new long[size];
        this.encryptUntil = new long[size];
        this.decryptUntil = new long[size];
        for (int slot = 0; slot < size; slot++) {
            keys[slot] = scheduled[slot].key();
            notBefore[slot] = scheduled[slot].notBeforeMillis();
            encryptUntil[slot] = scheduled[slot].encryptUntilMillis();
            decryptUntil[slot] = scheduled[slot].decryptUntilMillis();
        }
        long last = Long.MIN_VALUE;
        for (int slot = 0; slot < size; slot++) {
            last = Math.max(last, Math.min(encryptUntil[slot], decryptUntil[slot]));
        }
        this.lastEncryptUntil = last;
    }

    /** Keys in the order given; the key ring orders them newest first. */
    static KeySnapshot scheduled(long generation, List<ScheduledKey> keys) {
        return new KeySnapshot(generation, keys.toArray(new ScheduledKey[0]));
    }

    /** A plain list keeps the schedule it has always meant: the first key seals, all open, forever. */
    private static ScheduledKey[] unscheduled(List<TicketKey> keys) {
        ScheduledKey[] scheduled = new ScheduledKey[keys.size()];
        for (int slot = 0; slot < scheduled.length; slot++) {
            TicketKey key = keys.get(slot);
            scheduled[slot] = slot == 0 ? ScheduledKey.always(key) : ScheduledKey.decryptOnly(key, ScheduledKey.FOREVER);
        }
        return scheduled;
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
    public long encryptUntilMillis(int slot) {
        return encryptUntil[slot];
    }

    /** When the key in {@code slot} stops opening tickets ({@code Long.MAX_VALUE}: never). */
    public long decryptUntilMillis(int slot) {
        return decryptUntil[slot];
    }

    /** The time after which no key of this snapshot seals ({@code Long.MIN_VALUE} when none ever does). */
    public long lastEncryptUntilMillis() {
        return lastEncryptUntil;
    }

    /** Whether the key in {@code slot} may seal at {@code nowMillis}. */
    public boolean encrypts(int slot, long nowMillis) {
        return notBefore[slot] <= nowMillis && nowMillis < encryptUntil[slot] && nowMillis < decryptUntil[slot];
    }

    /** Whether the key in {@code slot} opens tickets at {@code nowMillis}; staged keys do. */
    public boolean decrypts(int slot, long nowMillis) {
        return nowMillis < decryptUntil[slot];
    }

    /** The schedule of the key in {@code slot}. */
    public ScheduledKey scheduledKey(int slot) {
        return ScheduledKey.trusted(keys[slot], notBefore[slot], encryptUntil[slot], decryptUntil[slot]);
    }

    /** Every key with its schedule, in slot order. */
    public List<ScheduledKey> scheduledKeys() {
        List<ScheduledKey> all = new ArrayList<>(keys.length);
        for (int slot = 0; slot < keys.length; slot++) {
            all.add(scheduledKey(slot));
        }
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return "KeySnapshot{generation=" + generation + ", keys=" + (keys.length <= 8 ? List.of(keys).toString()
                : keys.length + " keys") + "}";
    }
}

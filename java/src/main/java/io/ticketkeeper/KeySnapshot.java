package io.ticketkeeper;

import java.util.List;

/** An immutable, ordered set of published keys with the generation number under which they were published. */
public final class KeySnapshot {
    private final long generation;
    private final TicketKey[] keys;

    KeySnapshot(long generation, List<TicketKey> keys) {
        this.generation = generation;
        this.keys = keys.toArray(new TicketKey[0]);
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

    @Override
    public String toString() {
        return "KeySnapshot{generation=" + generation + ", keys=" + List.of(keys) + "}";
    }
}

package io.ticketkeeper;

import java.time.Instant;

/**
 * Something that happened to the key ring, observed when the handle refreshed its keys.
 *
 * @param type what happened
 * @param at the handle's clock time of the refresh that saw it
 * @param key the key's display name (the start of its name only), or empty for {@link Type#LOAD_FAILED}
 * @param detail more words for people: the schedule, or why loading failed
 */
public record KeyEvent(Type type, Instant at, String key, String detail) {
    /** The kinds of key ring events. */
    public enum Type {
        /** A key joined the ring before its not-before time: it opens tickets, seals none yet. */
        STAGED,
        /** A key became the newest one that seals. */
        PROMOTED,
        /** A key stopped sealing; it still opens tickets, which are renewed. */
        RETIRED,
        /** A key left the ring (past its open-until time, or gone from its source) and was cleansed. */
        EXPIRED,
        /** The key source failed (for example a bad key file); the keys in force stayed in force. */
        LOAD_FAILED
    }
}

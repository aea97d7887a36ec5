package io.ticketkeeper;

import java.time.Instant;

/**
 * Something that happened to the key ring, observed when the handle refreshed its keys, or reported by the key
 * source on its own thread ({@link Type#FETCHED}, {@link Type#REFUSED}, {@link Type#SOURCE_DOWN},
 * {@link Type#SOURCE_UP}).
 *
 * @param type what happened
 * @param at the handle's (or the key source's) clock time when it was seen
 * @param key the key's display name (the start of its name only); for {@link Type#REFUSED} the entry's name in the
 *     source; empty for {@link Type#LOAD_FAILED} and the source's health
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
        LOAD_FAILED,
        /** The key source learned a key another server made (a fleet's Redis); the ring takes it at next refresh. */
        FETCHED,
        /**
         * The key source found an entry it cannot use (it does not unwrap, is tampered or truncated, has an unknown
         * format or another schedule): the entry never reaches the ring. {@code key} names the entry where it is
         * kept (the Redis key), {@code detail} the reason.
         */
        REFUSED,
        /** The service the key source depends on stopped answering; the keys in force stay in force. */
        SOURCE_DOWN,
        /** The service the key source depends on answers again. */
        SOURCE_UP
    }
}

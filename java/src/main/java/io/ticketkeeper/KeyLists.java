package io.ticketkeeper;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The checks every path that publishes keys makes before the shim sees them (plain key lists, schedules, key
 * sources), so that a bad set fails with a message that names the key and the problem.
 */
final class KeyLists {
    private KeyLists() {
    }

    /** {@code key}, if it is not null and not destroyed; {@code what} names it in the message. */
    static TicketKey requireUsable(TicketKey key, String what) {
        Objects.requireNonNull(key, what);
        if (key.isDestroyed()) {
            throw new IllegalArgumentException(what + " (" + key + ") is destroyed");
        }
        return key;
    }

    /** An immutable copy of {@code keys}, each usable, no two with one name. */
    static List<TicketKey> checked(List<TicketKey> keys) {
        List<TicketKey> copy = List.copyOf(Objects.requireNonNull(keys, "keys"));
        Set<ByteBuffer> names = new HashSet<>();
        for (int i = 0; i < copy.size(); i++) {
            TicketKey key = requireUsable(copy.get(i), "key " + i);
            if (!names.add(ByteBuffer.wrap(key.name()))) {
                throw new IllegalArgumentException("key " + i + " (" + key + ") has the same name as an earlier key");
            }
        }
        return copy;
    }

    /** The same checks for scheduled keys. */
    static void checkScheduled(List<ScheduledKey> keys) {
        checked(keys.stream().map(ScheduledKey::key).toList());
    }
}

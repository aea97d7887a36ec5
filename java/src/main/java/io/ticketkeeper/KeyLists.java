package io.ticketkeeper;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Checks key lists before they reach the shim, so that a bad list fails with a message that names the problem. */
final class KeyLists {
    private KeyLists() {
    }

    static List<TicketKey> checked(List<TicketKey> keys) {
        Objects.requireNonNull(keys, "keys");
        List<TicketKey> copy = List.copyOf(keys);
        Set<ByteBuffer> names = new HashSet<>();
        for (int i = 0; i < copy.size(); i++) {
            TicketKey key = copy.get(i);
            if (key.isDestroyed()) {
                throw new IllegalArgumentException("key " + i + " (" + key + ") is destroyed");
            }
            if (!names.add(ByteBuffer.wrap(key.name()))) {
                throw new IllegalArgumentException("key " + i + " (" + key + ") has the same name as an earlier key");
            }
        }
        return copy;
    }
}

package io.ticketkeeper.internal;

import io.ticketkeeper.TicketKey;

import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * Lets the backends read a key's off-heap material (in the layout of the shim's {@code tk_key}) without making it
 * part of the public API.
 */
public final class KeyAccess {
    private static volatile Function<TicketKey, ByteBuffer> reader;

    private KeyAccess() {
    }

    public static void register(Function<TicketKey, ByteBuffer> keyReader) {
        reader = keyReader;
    }

    /** A read view of the key's material; valid until the key is destroyed. The reader is registered when the
     * first key is made, so it is there for any key that exists. */
    public static ByteBuffer material(TicketKey key) {
        return reader.apply(key);
    }
}

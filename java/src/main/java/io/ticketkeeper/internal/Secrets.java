package io.ticketkeeper.internal;

import java.nio.ByteBuffer;

/** Key material in off-heap buffers: compared and wiped in place, never copied onto the heap to do so. */
public final class Secrets {
    private Secrets() {
    }

    /** Whether the first {@code length} bytes of both are equal, in a time that does not depend on where they differ. */
    public static boolean equal(ByteBuffer a, ByteBuffer b, int length) {
        int difference = 0;
        for (int i = 0; i < length; i++) {
            difference |= a.get(i) ^ b.get(i);
        }
        return difference == 0;
    }

    /** Overwrites the first {@code length} bytes with zeros. */
    public static void wipe(ByteBuffer buffer, int length) {
        for (int i = 0; i < length; i++) {
            buffer.put(i, (byte) 0);
        }
    }
}

package io.ticketkeeper.ffm;

import io.ticketkeeper.internal.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Native memory for the upcall body through one segment over all of memory, read and written by absolute address, so
 * that no segment is made per call. The shim guarantees each struct for the duration of its upcall.
 */
final class FfmMemory implements NativeMemory {
    static final FfmMemory INSTANCE = new FfmMemory();
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private FfmMemory() {
    }

    @Override
    public int getInt(long address) {
        return ALL.get(ValueLayout.JAVA_INT, address);
    }

    @Override
    public long getLong(long address) {
        return ALL.get(ValueLayout.JAVA_LONG, address);
    }

    @Override
    public void setInt(long address, int value) {
        ALL.set(ValueLayout.JAVA_INT, address, value);
    }

    @Override
    public void setLong(long address, long value) {
        ALL.set(ValueLayout.JAVA_LONG, address, value);
    }

    @Override
    public void copy(long address, byte[] into, int offset, int length) {
        MemorySegment.copy(ALL, ValueLayout.JAVA_BYTE, address, into, offset, length);
    }

    @Override
    public void write(long address, byte[] from, int offset, int length) {
        MemorySegment.copy(from, offset, ALL, ValueLayout.JAVA_BYTE, address, length);
    }

    /** A copy of {@code length} bytes at {@code pointer}. */
    static byte[] bytes(MemorySegment pointer, int length) {
        return pointer.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
    }
}

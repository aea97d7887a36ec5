package io.ticketkeeper.jna;

import io.ticketkeeper.internal.NativeMemory;

import com.sun.jna.Pointer;

/**
 * Native memory for the upcall body through one JNA {@link Pointer} at address 0, whose offsets are the absolute
 * addresses: no Pointer is made or moved per call (one per thread was, before), and nothing is allocated. The shim
 * guarantees each struct for the duration of its upcall.
 */
final class JnaMemory implements NativeMemory {
    static final JnaMemory INSTANCE = new JnaMemory();
    /** Address 0: its offsets are absolute addresses. Stateless, so every thread shares it. */
    static final Pointer ALL = new Pointer(0);

    private JnaMemory() {
    }

    @Override
    public int getInt(long address) {
        return ALL.getInt(address);
    }

    @Override
    public long getLong(long address) {
        return ALL.getLong(address);
    }

    @Override
    public void setInt(long address, int value) {
        ALL.setInt(address, value);
    }

    @Override
    public void setLong(long address, long value) {
        ALL.setLong(address, value);
    }

    @Override
    public void copy(long address, byte[] into, int offset, int length) {
        ALL.read(address, into, offset, length);
    }

    @Override
    public void write(long address, byte[] from, int offset, int length) {
        ALL.write(address, from, offset, length);
    }

    /** A copy of {@code length} bytes at {@code address}. */
    static byte[] bytes(long address, int length) {
        return ALL.getByteArray(address, length);
    }
}

package io.ticketkeeper.testkit;

import io.ticketkeeper.internal.NativeMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The upcall body's memory over a Java array, addressed from 0, in the platform's byte order: the shim's structs
 * built in plain Java, so that the upcall bodies ({@code TicketUpcalls}, {@code SessionCacheUpcalls}) run in unit tests without a handshake.
 */
public final class HeapMemory implements NativeMemory {
    private final ByteBuffer bytes;

    public HeapMemory(int size) {
        this.bytes = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    @Override
    public int getInt(long address) {
        return bytes.getInt(Math.toIntExact(address));
    }

    @Override
    public long getLong(long address) {
        return bytes.getLong(Math.toIntExact(address));
    }

    @Override
    public void setInt(long address, int value) {
        bytes.putInt(Math.toIntExact(address), value);
    }

    @Override
    public void setLong(long address, long value) {
        bytes.putLong(Math.toIntExact(address), value);
    }

    @Override
    public void copy(long address, byte[] into, int offset, int length) {
        bytes.get(Math.toIntExact(address), into, offset, length);
    }

    @Override
    public void write(long address, byte[] from, int offset, int length) {
        bytes.put(Math.toIntExact(address), from, offset, length);
    }

    /** Writes {@code from} at {@code address}. */
    public void put(long address, byte[] from) {
        write(address, from, 0, from.length);
    }
}

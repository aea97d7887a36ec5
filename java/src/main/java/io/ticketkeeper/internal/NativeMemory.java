package io.ticketkeeper.internal;

/**
 * Native memory by absolute address, as the upcall body ({@link TicketUpcalls}) reads and writes the shim's structs:
 * each backend supplies one (FFM over all of memory as one segment, JNA over a pointer at address 0), and nothing
 * else of the upcalls. An implementation must allocate nothing per call and be a final class, so that the upcalls'
 * calls through it stay monomorphic and inline. Addresses are valid only during the upcall that received them.
 */
public interface NativeMemory {
    int getInt(long address);

    long getLong(long address);

    void setInt(long address, int value);

    void setLong(long address, long value);

    /** Copies {@code length} bytes from {@code address} into {@code into[0..length-1]}. */
    void copy(long address, byte[] into, int length);
}

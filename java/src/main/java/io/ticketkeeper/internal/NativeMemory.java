package io.ticketkeeper.internal;

/**
 * Native memory by absolute address, as the upcall bodies ({@link TicketUpcalls}, {@link SessionCacheUpcalls}) read and
 * write the shim's structs and buffers:
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
    default void copy(long address, byte[] into, int length) {
        copy(address, into, 0, length);
    }

    /** Copies {@code length} bytes from {@code address} into {@code into[offset..offset+length-1]}. */
    void copy(long address, byte[] into, int offset, int length);

    /** Copies {@code from[offset..offset+length-1]} to {@code address}. */
    void write(long address, byte[] from, int offset, int length);
}

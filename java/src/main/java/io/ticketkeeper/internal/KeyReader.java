package io.ticketkeeper.internal;

import io.ticketkeeper.TicketKey;

import java.nio.ByteBuffer;

/**
 * Reads a key's off-heap material, in the layout of the shim's {@code tk_key}, for publication to the shim. The
 * only instance that can read real keys lives in the {@code io.ticketkeeper} package, which hands it to the backend
 * it installs; no public method returns it, and the library jar seals its packages, so code outside the library
 * cannot obtain it or add a class beside it without reflection.
 */
public interface KeyReader {
    /** A read-only view of {@code key}'s material, valid until the key is destroyed. */
    ByteBuffer material(TicketKey key);
}

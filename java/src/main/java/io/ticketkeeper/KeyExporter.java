package io.ticketkeeper;

import java.util.List;

/**
 * Where {@link TicketKeeper#manageKeys} puts the keys of its ring: a TLS stack's own ticket key API, for stacks on
 * which TicketKeeper's callbacks cannot be installed (Netty's {@code setTicketKeys} on BoringSSL). Called on the
 * handle's key thread (or the thread that calls {@link TicketKeeperHandle#refreshKeys()}), under the handle's lock,
 * whenever the keys or the key that seals change.
 */
@FunctionalInterface
public interface KeyExporter {
    /**
     * Replaces the stack's ticket keys with {@code keys}: the first seals new tickets, every one opens tickets. The
     * list is never empty. The keys' arrays are wiped when this returns: copy what the stack must keep.
     *
     * @throws RuntimeException when the stack refuses; the keys in force before stay in force, and the next refresh
     *     tries again
     */
    void apply(List<ExportedKey> keys);
}

package io.ticketkeeper;

import io.ticketkeeper.internal.Backends;

/**
 * Installs TicketKeeper on server {@code SSL_CTX}s.
 *
 * <pre>{@code
 * try (TicketKeeperHandle handle = TicketKeeper.install(sslCtxAddress, TicketKeeperOptions.builder()
 *         .keys(TicketKey.generate())
 *         .policy(TicketPolicy.defaults(Duration.ofHours(12), Duration.ofHours(6)))
 *         .build())) {
 *     // serve; handle.setKeys(...) rotates; handle.stats() counts
 * }
 * }</pre>
 */
public final class TicketKeeper {
    private TicketKeeper() {
    }

    /**
     * The backend this runtime uses: {@code "ffm"} (Panama, Java 23+) or {@code "jna"} (Java 17 to 22, or forced with
     * {@code -Dticketkeeper.backend=jna}).
     *
     * @throws TicketKeeperException when none fits this runtime; the message says why
     */
    public static String backend() {
        return Backends.get().name();
    }

    /** Installs with {@link TicketKeeperOptions#defaults()}. */
    public static TicketKeeperHandle install(long sslCtx) {
        return install(sslCtx, TicketKeeperOptions.defaults());
    }

    /**
     * Installs TicketKeeper's ticket callbacks on the server context at address {@code sslCtx} (an OpenSSL
     * {@code SSL_CTX *}) and publishes the options' keys. Do not install while the context is handshaking.
     *
     * @throws TicketKeeperException when no backend fits this runtime (the message says why), the context already
     *     has a handle, or OpenSSL fails
     */
    public static TicketKeeperHandle install(long sslCtx, TicketKeeperOptions options) {
        if (sslCtx == 0) {
            throw new IllegalArgumentException("sslCtx is NULL");
        }
        return new TicketKeeperHandle(Backends.get(), sslCtx, options);
    }
}

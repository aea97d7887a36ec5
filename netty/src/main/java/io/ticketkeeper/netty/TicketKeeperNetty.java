package io.ticketkeeper.netty;

import io.netty.handler.ssl.SslContext;
import io.ticketkeeper.TicketKeeperOptions;

import java.util.Map;

/**
 * TicketKeeper on Netty's OpenSSL server contexts ({@code SslProvider.OPENSSL} or {@code OPENSSL_REFCNT}):
 *
 * <pre>{@code
 * SslContext netty = SslContextBuilder.forServer(certificate, key).sslProvider(SslProvider.OPENSSL).build();
 * TicketKeeperSslContext context = TicketKeeperNetty.install(netty, "a.test", options);
 * // pipeline: context.newHandler(channel.alloc()), ...; context.handle().stats() counts
 * context.release(); // closes TicketKeeper's handle, then releases the Netty context
 *
 * // Virtual hosts: one handle, each host's context bound to its host, for an SniHandler.
 * TicketKeeperSniMapping hosts = TicketKeeperNetty.sni(defaultContext, Map.of("a.test", a, "b.test", b), options);
 * // pipeline: new SniHandler(hosts), ...
 * hosts.release();
 * }</pre>
 *
 * Installing clears Netty's {@code SSL_OP_NO_TICKET} (TLS 1.2 tickets, off by default in Netty), and takes over
 * the caller's reference to each context: release the returned object instead. Do not call Netty's
 * {@code OpenSslSessionContext.setTicketKeys} with keys afterwards: it replaces TicketKeeper's ticket key callback;
 * TicketKeeper then counts the tickets it did not open ({@code TicketStats.foreignTickets()}), warns once, and
 * neither decides nor counts them as its resumptions. With a session cache in the options, Netty's own session
 * cache callbacks are replaced (a finding on each context, logged).
 */
public final class TicketKeeperNetty {
    private TicketKeeperNetty() {
    }

    /**
     * Installs TicketKeeper on {@code context} for the virtual host {@code hostName}: its tickets resume on
     * {@code hostName}'s contexts only.
     *
     * @throws IllegalArgumentException when {@code context} is not a live Netty OpenSSL server context
     */
    public static TicketKeeperSslContext install(SslContext context, String hostName, TicketKeeperOptions options) {
        return TicketKeeperSslContext.install(context, hostName, options);
    }

    /** Installs TicketKeeper on {@code context} without a host name (one server, one host). */
    public static TicketKeeperSslContext install(SslContext context, TicketKeeperOptions options) {
        return TicketKeeperSslContext.install(context, null, options);
    }

    /**
     * Key-management mode, for Netty on {@code netty-tcnative-boringssl-static} (or any flavour where TicketKeeper's
     * callbacks cannot be installed): the options' keys, rotation, key files or fleet keys drive {@code context}'s
     * own ticket keys ({@code OpenSslSessionContext.setTicketKeys}), the key that seals now first, then every key that
     * opens, on every change at the latest one check interval after it. Netty's rule decides each ticket (first key
     * seals, any opens, a ticket of another key is renewed); the options' policy, session cache and host binding are
     * not used. For several virtual hosts, give each host's context its own key ring (its own key file, rotation or
     * fleet prefix), so that a ticket of one host gives a full handshake on another. Works on any Java 17+, loads no
     * TicketKeeper native library.
     *
     * <pre>{@code
     * SslContext netty = SslContextBuilder.forServer(certificate, key).sslProvider(SslProvider.OPENSSL).build();
     * NettyTicketKeys keys = TicketKeeperNetty.manageKeys(netty, TicketKeeperOptions.builder()
     *         .keySource(KeyFiles.of(KeyFileFormat.NGINX, Path.of("ticket.key"))).build());
     * // serve with netty; keys.handle().keyStats() shows the ring
     * keys.close(); // stops the refreshes, releases its reference to netty
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code context} is not a live Netty OpenSSL server context, or the options
     *     name a session cache
     * @throws io.ticketkeeper.TicketKeeperException when the key source fails at the first refresh
     */
    public static NettyTicketKeys manageKeys(SslContext context, TicketKeeperOptions options) {
        return NettyTicketKeys.manage(context, options);
    }

    /**
     * One handle for the virtual hosts of an {@code SniHandler}: each context of {@code contextsByHost} is attached
     * under its host name (wildcards like {@code *.example.com} included) and {@code defaultContext}, which serves
     * names that match none, without a name. A context mapped under several names is one host for TicketKeeper,
     * named by the first of them in alphabetical order: its tickets resume under all its names, as they would in
     * Netty without TicketKeeper.
     *
     * @throws IllegalArgumentException when a context is not a live Netty OpenSSL server context
     */
    public static TicketKeeperSniMapping sni(SslContext defaultContext, Map<String, SslContext> contextsByHost,
            TicketKeeperOptions options) {
        return TicketKeeperSniMapping.install(defaultContext, contextsByHost, options);
    }
}

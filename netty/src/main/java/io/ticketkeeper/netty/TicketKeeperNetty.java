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

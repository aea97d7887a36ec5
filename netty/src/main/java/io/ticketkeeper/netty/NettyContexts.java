package io.ticketkeeper.netty;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;

/** What TicketKeeper needs from a Netty context: an OpenSSL server context, its {@code SSL_CTX}, tickets on. */
final class NettyContexts {
    private NettyContexts() {
    }

    /**
     * Checks that {@code context} is one TicketKeeper can serve and returns it as Netty's OpenSSL context.
     *
     * @throws IllegalArgumentException naming what the context is and what is needed instead
     */
    static ReferenceCountedOpenSslContext openSslServer(SslContext context, String what) {
        if (!(context instanceof ReferenceCountedOpenSslContext)) {
            throw new IllegalArgumentException(what + " is a " + context.getClass().getSimpleName() + ": TicketKeeper "
                    + "needs Netty's OpenSSL provider (SslContextBuilder.sslProvider(SslProvider.OPENSSL) or "
                    + "OPENSSL_REFCNT, with netty-tcnative loaded against the OpenSSL that TicketKeeper's shim uses)");
        }
        String flavour = OpenSsl.versionString();
        if (flavour == null || !flavour.startsWith("OpenSSL")) {
            // Nothing native has touched the context yet: not Netty's setTicketKeys, not TicketKeeper's shim.
            // (Netty's OpenSsl.isBoringSSL() is not public; its versionString() says "BoringSSL" for that flavour.)
            throw new IllegalArgumentException(what + " comes from " + flavour
                    + (flavour != null && flavour.contains("BoringSSL") ? " (netty-tcnative-boringssl-static?)" : "")
                    + ", not OpenSSL: TicketKeeper's shim installs OpenSSL callbacks and refuses it before any "
                    + "call on it. Use a netty-tcnative built against the system OpenSSL that TicketKeeper's shim "
                    + "uses (see ticketkeeper-netty's README section), or TicketKeeperNetty.manageKeys (key-management "
                    + "mode: TicketKeeper's keys in Netty's own ticket keys)");
        }
        return nettyServer(context, what);
    }

    /**
     * Checks that {@code context} is a live server context of Netty's OpenSSL provider, of any flavour (BoringSSL
     * included), for key-management mode, which only calls Netty's {@code setTicketKeys}.
     *
     * @throws IllegalArgumentException naming what the context is and what is needed instead
     */
    static ReferenceCountedOpenSslContext nettyServer(SslContext context, String what) {
        if (!(context instanceof ReferenceCountedOpenSslContext openSsl)) {
            throw new IllegalArgumentException(what + " is a " + context.getClass().getSimpleName() + ": TicketKeeper "
                    + "manages the ticket keys of Netty's OpenSSL provider (SslContextBuilder.sslProvider("
                    + "SslProvider.OPENSSL) or OPENSSL_REFCNT); the JDK provider has no ticket key API");
        }
        if (context.isClient()) {
            throw new IllegalArgumentException(what + " is a client context: TicketKeeper seals and opens tickets on "
                    + "server contexts");
        }
        if (openSsl.refCnt() == 0) {
            throw new IllegalArgumentException(what + " was released already");
        }
        return openSsl;
    }

    /**
     * The context's {@code SSL_CTX}, with {@code SSL_OP_NO_TICKET} cleared: Netty sets it by default, which leaves
     * TLS 1.2 clients without tickets. Netty's documented way to clear it installs no ticket keys of its own:
     * {@code setTicketKeys()} with none.
     */
    @SuppressWarnings("deprecation") // sslCtxPointer(): TicketKeeper holds a reference to the context while it uses it
    static long ticketsOn(ReferenceCountedOpenSslContext context) {
        OpenSslSessionContext sessions = context.sessionContext();
        sessions.setTicketKeys(new OpenSslSessionTicketKey[0]);
        return context.sslCtxPointer();
    }
}

package io.ticketkeeper.netty;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCounted;
import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;

import java.util.List;
import javax.net.ssl.SSLEngine;

/**
 * A Netty OpenSSL server context with TicketKeeper in charge of its tickets: use it wherever the wrapped context
 * was used ({@code newHandler}, {@code newEngine}). It holds the caller's reference to the wrapped context;
 * {@link #release()} to zero closes TicketKeeper's handle, then releases the wrapped context.
 */
public final class TicketKeeperSslContext extends DelegatingSslContext implements ReferenceCounted {
    private final HandleReference reference;
    private final TicketContext context;

    private TicketKeeperSslContext(SslContext wrapped, HandleReference reference, TicketContext context) {
        super(wrapped);
        this.reference = reference;
        this.context = context;
    }

    static TicketKeeperSslContext install(SslContext wrapped, String hostName, TicketKeeperOptions options) {
        ReferenceCountedOpenSslContext openSsl = NettyContexts.openSslServer(wrapped, "the context");
        long sslCtx = NettyContexts.ticketsOn(openSsl);
        TicketKeeperHandle handle = TicketKeeper.install(options);
        try {
            TicketContext attached = hostName == null ? handle.attach(sslCtx) : handle.attach(sslCtx, hostName);
            return new TicketKeeperSslContext(wrapped, new HandleReference(handle, List.of(wrapped), options), attached);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** TicketKeeper's handle: keys, policy, totals. */
    public TicketKeeperHandle handle() {
        return reference.handle();
    }

    /** The wrapped context as TicketKeeper sees it: its host, state and counters. */
    public TicketContext context() {
        return context;
    }

    @Override
    protected void initEngine(SSLEngine engine) {
        // Nothing per engine: TicketKeeper works on the SSL_CTX.
    }

    @Override
    public int refCnt() {
        return reference.refCnt();
    }

    @Override
    public TicketKeeperSslContext retain() {
        reference.retain();
        return this;
    }

    @Override
    public TicketKeeperSslContext retain(int increment) {
        reference.retain(increment);
        return this;
    }

    @Override
    public TicketKeeperSslContext touch() {
        return this;
    }

    @Override
    public TicketKeeperSslContext touch(Object hint) {
        return this;
    }

    @Override
    public boolean release() {
        return reference.release();
    }

    @Override
    public boolean release(int decrement) {
        return reference.release(decrement);
    }
}

package io.ticketkeeper.netty;

import io.netty.handler.ssl.SslContext;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import io.ticketkeeper.TicketKeeperHandle;

import java.util.List;

/**
 * The reference count behind a TicketKeeper-wrapped Netty context: when it reaches zero, TicketKeeper's handle
 * closes first (no upcall runs after that), then the Netty contexts it held are released, so a context is never
 * freed under a handle that still serves it.
 */
final class HandleReference extends AbstractReferenceCounted {
    private final TicketKeeperHandle handle;
    private final List<SslContext> contexts;

    HandleReference(TicketKeeperHandle handle, List<SslContext> contexts) {
        this.handle = handle;
        this.contexts = List.copyOf(contexts);
    }

    TicketKeeperHandle handle() {
        return handle;
    }

    @Override
    protected void deallocate() {
        handle.close();
        for (SslContext context : contexts) {
            ReferenceCountUtil.release(context);
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }
}

package io.ticketkeeper.netty;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketStats;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference count behind a TicketKeeper-wrapped Netty context: when it reaches zero, TicketKeeper's handle
 * closes first (no upcall runs after that), then the Netty contexts it held are released, so a context is never
 * freed under a handle that still serves it. It says so in Netty's log (logger
 * {@code io.ticketkeeper.netty.TicketKeeperNetty}): one INFO line when the handle starts serving its contexts,
 * one with the totals when it closes.
 */
final class HandleReference extends AbstractReferenceCounted {
    private static final AtomicInteger HANDLES = new AtomicInteger();

    private final TicketKeeperHandle handle;
    private final List<SslContext> contexts;
    private final String name;

    HandleReference(TicketKeeperHandle handle, List<SslContext> contexts, TicketKeeperOptions options) {
        this.handle = handle;
        this.contexts = List.copyOf(contexts);
        this.name = "netty-" + HANDLES.incrementAndGet();
        Set<String> hosts = new TreeSet<>();
        for (TicketContext context : handle.contexts()) {
            hosts.add(context.hostName().orElse("(default)"));
        }
        log().info("TicketKeeper [" + name + "] runs: backend " + TicketKeeper.backendDescription() + ", Netty on "
                + OpenSsl.versionString() + ", keys " + options.keySource().map(Object::toString)
                        .orElse(options.keys().map(keys -> keys.size() + " fixed keys").orElse("one generated key, never rotated"))
                + ", hosts " + hosts + " in " + handle.contexts().size() + " contexts, session cache "
                + options.sessionCache().map(Object::toString).orElse("none"));
    }

    /** Looked up when used: an application may set Netty's logger factory after this class loads. */
    private static InternalLogger log() {
        return InternalLoggerFactory.getInstance(TicketKeeperNetty.class);
    }

    TicketKeeperHandle handle() {
        return handle;
    }

    @Override
    protected void deallocate() {
        TicketStats totals = handle.stats();
        handle.close();
        log().info("TicketKeeper [" + name + "] stopped: sealed " + totals.sealed() + ", resumed " + totals.resumed()
                + ", renewed " + totals.renewed() + ", rejected " + totals.rejectedUnknownKey() + " unknown key, "
                + totals.rejectedByPolicy() + " by policy, " + totals.rejectedOtherHost() + " other host, foreign "
                + totals.foreignTickets() + ", aborted " + totals.aborted() + ", errors "
                + (totals.policyErrors() + totals.upcallErrors() + totals.cryptoErrors()));
        for (SslContext context : contexts) {
            ReferenceCountUtil.release(context);
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }
}

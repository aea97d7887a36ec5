package io.ticketkeeper.netty;

import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCounted;
import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The virtual hosts of a Netty server for an {@code SniHandler}, their contexts attached to one TicketKeeper
 * handle, each bound to its host. It holds the caller's reference to every context; {@link #release()} to zero
 * closes the handle, then releases them.
 */
public final class TicketKeeperSniMapping implements Mapping<String, SslContext>, ReferenceCounted {
    private final Mapping<String, SslContext> mapping;
    private final HandleReference reference;
    private final Map<String, TicketContext> byHost;

    private TicketKeeperSniMapping(Mapping<String, SslContext> mapping, HandleReference reference,
            Map<String, TicketContext> byHost) {
        this.mapping = mapping;
        this.reference = reference;
        this.byHost = byHost;
    }

    static TicketKeeperSniMapping install(SslContext defaultContext, Map<String, SslContext> contextsByHost,
            TicketKeeperOptions options) {
        Objects.requireNonNull(defaultContext, "defaultContext");
        Map<SslContext, List<String>> namesOf = new IdentityHashMap<>();
        namesOf.put(defaultContext, new ArrayList<>());
        for (Map.Entry<String, SslContext> host : new TreeMap<>(contextsByHost).entrySet()) {
            NettyContexts.openSslServer(host.getValue(), "the context for " + host.getKey());
            namesOf.computeIfAbsent(host.getValue(), context -> new ArrayList<>()).add(host.getKey());
        }
        NettyContexts.openSslServer(defaultContext, "the default context");
        TicketKeeperHandle handle = TicketKeeper.install(options);
        try {
            Map<String, TicketContext> byHost = new TreeMap<>();
            DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(defaultContext);
            for (Map.Entry<SslContext, List<String>> context : namesOf.entrySet()) {
                long sslCtx = NettyContexts.ticketsOn(NettyContexts.openSslServer(context.getKey(), "a context"));
                List<String> names = context.getValue();
                TicketContext attached = names.isEmpty() ? handle.attach(sslCtx) : handle.attach(sslCtx, names.get(0));
                for (String name : names) {
                    mapping.add(name, context.getKey());
                    byHost.put(name, attached);
                }
            }
            return new TicketKeeperSniMapping(mapping.build(),
                    new HandleReference(handle, List.copyOf(namesOf.keySet()), options), byHost);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    @Override
    public SslContext map(String hostName) {
        return mapping.map(hostName);
    }

    /** TicketKeeper's handle: keys, policy, totals over every host. */
    public TicketKeeperHandle handle() {
        return reference.handle();
    }

    /** The context mapped for {@code hostName} (as given), as TicketKeeper sees it. */
    public Optional<TicketContext> context(String hostName) {
        return Optional.ofNullable(byHost.get(hostName));
    }

    @Override
    public int refCnt() {
        return reference.refCnt();
    }

    @Override
    public TicketKeeperSniMapping retain() {
        reference.retain();
        return this;
    }

    @Override
    public TicketKeeperSniMapping retain(int increment) {
        reference.retain(increment);
        return this;
    }

    @Override
    public TicketKeeperSniMapping touch() {
        return this;
    }

    @Override
    public TicketKeeperSniMapping touch(Object hint) {
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

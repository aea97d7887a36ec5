package io.ticketkeeper.netty;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.ticketkeeper.ExportedKey;
import io.ticketkeeper.KeyExporter;
import io.ticketkeeper.KeyRingStats;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TicketKeeper's keys driving a Netty context's own ticket keys ({@link TicketKeeperNetty#manageKeys}): the key
 * ring, rotation, key files and fleet keys of the options, handed to
 * {@code OpenSslSessionContext.setTicketKeys} on every change. Netty's OpenSSL flavour (BoringSSL or OpenSSL) then
 * seals with the first key and opens with any, by its own fixed rule. It holds a reference to the context:
 * {@link #close()} stops the refreshes and releases it; Netty keeps the keys it was given last.
 */
public final class NettyTicketKeys implements AutoCloseable {
    /**
     * The derivation label: what the ring keys' secrets are derived for. Netty's keys are 48 bytes (name, HMAC-SHA256
     * key, AES-128-CBC key: 16 bytes each), whatever the flavour.
     */
    static final String LABEL = "TicketKeeper netty-tcnative session ticket key v1";
    private static final int SECRET_LENGTH = OpenSslSessionTicketKey.AES_KEY_SIZE;
    private static final AtomicInteger HANDLES = new AtomicInteger();

    private final ReferenceCountedOpenSslContext context;
    private final String name;
    private TicketKeeperHandle handle;
    private boolean closed;

    private NettyTicketKeys(ReferenceCountedOpenSslContext context) {
        this.context = context;
        this.name = "netty-keys-" + HANDLES.incrementAndGet();
    }

    static NettyTicketKeys manage(SslContext context, TicketKeeperOptions options) {
        ReferenceCountedOpenSslContext netty = NettyContexts.nettyServer(context, "the context");
        NettyTicketKeys keys = new NettyTicketKeys(netty);
        netty.retain();
        try {
            keys.handle = TicketKeeper.manageKeys(options, LABEL, SECRET_LENGTH, keys.new Exporter());
        } catch (RuntimeException e) {
            netty.release();
            throw e;
        }
        log().info("TicketKeeper [" + keys.name + "] manages Netty's ticket keys (key-management mode: no callbacks, "
                + "no per-ticket policy, no host stamp): Netty on " + OpenSsl.versionString() + ", keys "
                + options.keySource().map(Object::toString).orElse(options.keys().map(list -> list.size()
                        + " fixed keys").orElse("one generated key, never rotated")) + ", "
                + "keys in force: " + keys.handle.keys().size());
        return keys;
    }

    /** Netty's setTicketKeys on the context. Netty copies the arrays: its key objects hold them until collected. */
    private final class Exporter implements KeyExporter {
        @Override
        public void apply(List<ExportedKey> keys) {
            OpenSslSessionTicketKey[] netty = new OpenSslSessionTicketKey[keys.size()];
            for (int i = 0; i < netty.length; i++) {
                ExportedKey key = keys.get(i);
                netty[i] = new OpenSslSessionTicketKey(key.name(), key.hmacKey(), key.aesKey());
            }
            context.sessionContext().setTicketKeys(netty);
        }

        @Override
        public String toString() {
            return "Netty's setTicketKeys [" + name + "]";
        }
    }

    /** TicketKeeper's handle: the keys in force ({@code keys()}, {@code keyStats()}), the ring's stats. */
    public TicketKeeperHandle handle() {
        return handle;
    }

    /** The managed context. */
    public SslContext context() {
        return context;
    }

    /** Stops the refreshes and releases the context; Netty keeps the keys it holds. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        KeyRingStats ring = handle.keyRingStats();
        handle.close();
        context.release();
        log().info("TicketKeeper [" + name + "] stopped managing Netty's ticket keys: " + ring.refreshes()
                + " refreshes, " + ring.promoted() + " promoted, " + ring.expired() + " expired, "
                + ring.loadFailures() + " load failures");
    }

    @Override
    public String toString() {
        return "NettyTicketKeys[" + name + ", " + context.getClass().getSimpleName() + "]";
    }

    private static InternalLogger log() {
        return InternalLoggerFactory.getInstance(TicketKeeperNetty.class);
    }
}

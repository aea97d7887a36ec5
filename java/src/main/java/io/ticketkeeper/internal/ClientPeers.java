package io.ticketkeeper.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide table from the peer numbers client connections are tagged with to whoever keeps their
 * sessions. One table, so that one upcall stub serves every client context for the life of the process.
 */
public final class ClientPeers {
    private static final AtomicLong NEXT = new AtomicLong(1);
    private static final Map<Long, SessionNatives.ClientSink> SINKS = new ConcurrentHashMap<>();

    private ClientPeers() {
    }

    /** A new peer number whose sessions go to {@code sink}. */
    public static long register(SessionNatives.ClientSink sink) {
        long peer = NEXT.getAndIncrement();
        SINKS.put(peer, sink);
        return peer;
    }

    public static void unregister(long peer) {
        SINKS.remove(peer);
    }

    /** Called from the upcall: never throws; sessions of unknown (closed) peers are dropped. */
    static void deliver(long peer, byte[] session) {
        try {
            SessionNatives.ClientSink sink = SINKS.get(peer);
            if (sink != null) {
                sink.newSession(peer, session);
            }
        } catch (Throwable ignored) {
            // A client cache's fault costs only this session.
        }
    }
}

package io.ticketkeeper.bench.paired;

import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ClientSession;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.MemoryHandshake;

/**
 * A benchmark's client of one {@link BenchServer}, holding the newest session it was given: TLS 1.3 tickets are
 * renewed on every resumption, so resuming always offers the latest. Every handshake is checked, so a benchmark
 * that stopped resuming (or stopped getting tickets) fails instead of measuring something else.
 */
final class BenchClient implements AutoCloseable {
    private final BenchServer server;
    private final ClientContext context;
    private ClientSession session;

    BenchClient(BenchServer server) {
        this.server = server;
        context = new ClientContext(server.version, server.certificate);
        session = take(MemoryHandshake.run(server.context, context, null), false);
    }

    /** A full handshake; the ticket it brings is dropped. */
    boolean full() {
        take(MemoryHandshake.run(server.context, context, null), false).close();
        return false;
    }

    /** A resumed handshake with the newest session. */
    boolean resume() {
        ClientSession next = take(MemoryHandshake.run(server.context, context, session), true);
        session.close();
        session = next;
        return true;
    }

    private static ClientSession take(HandshakeResult result, boolean resumed) {
        if (!result.completed() || result.resumed() != resumed || !result.hasTicket()) {
            result.close();
            throw new IllegalStateException("expected a " + (resumed ? "resumed" : "full")
                    + " handshake with a ticket: " + result);
        }
        return result.session();
    }

    @Override
    public void close() {
        session.close();
        context.close();
    }
}

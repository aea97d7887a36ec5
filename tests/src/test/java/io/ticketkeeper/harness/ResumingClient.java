package io.ticketkeeper.harness;

import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ClientSession;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that offers each handshake the session of its previous one, as a returning client does, and counts the
 * handshakes that completed and those that resumed in counters the threads of a test share.
 */
final class ResumingClient implements AutoCloseable {
    private final ClientContext client;
    private final AtomicInteger completed;
    private final AtomicInteger resumed;
    private ClientSession held;

    ResumingClient(TlsVersion version, SelfSignedCertificate certificate, AtomicInteger completed,
            AtomicInteger resumed) {
        this.client = new ClientContext(version, certificate);
        this.completed = completed;
        this.resumed = resumed;
    }

    /**
     * One handshake on {@code server} offering the session held; when it completes, it is counted and its session
     * is held for the next. Returns the result, so that the caller can report one that did not complete.
     */
    HandshakeResult handshake(ServerContext server) {
        HandshakeResult result = MemoryHandshake.run(server, client, held);
        if (!result.completed()) {
            return result;
        }
        completed.incrementAndGet();
        if (result.resumed()) {
            resumed.incrementAndGet();
        }
        if (held != null) {
            held.close();
        }
        held = result.session();
        return result;
    }

    @Override
    public void close() {
        if (held != null) {
            held.close();
        }
        client.close();
    }
}

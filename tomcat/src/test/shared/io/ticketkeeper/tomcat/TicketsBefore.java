package io.ticketkeeper.tomcat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.harness.SClient;

import java.nio.file.Path;

/**
 * Tickets sealed before a test changes the server (a.test over TLS 1.2, b.test over TLS 1.3, by
 * {@code openssl s_client}), which must resume after it: for this module's tests and tomcat/tcnative's.
 */
public final class TicketsBefore {
    private final Path tls12;
    private final Path tls13;

    private TicketsBefore(Path tls12, Path tls13) {
        this.tls12 = tls12;
        this.tls13 = tls13;
    }

    /** Two full handshakes on {@code port} whose sessions are kept in {@code folder}. */
    public static TicketsBefore seal(Path folder, int port) throws Exception {
        TicketsBefore tickets = new TicketsBefore(folder.resolve("before-reloads-12.pem"),
                folder.resolve("before-reloads-13.pem"));
        assertTrue(SClient.fresh(SClient.connect(port, TlsVersion.TLS1_2, "a.test", null, tickets.tls12),
                TlsVersion.TLS1_2));
        assertTrue(SClient.fresh(SClient.connect(port, TlsVersion.TLS1_3, "b.test", null, tickets.tls13),
                TlsVersion.TLS1_3));
        return tickets;
    }

    /** Both sessions resume on {@code port}. */
    public void assertResume(int port) throws Exception {
        assertTrue(SClient.reused(SClient.connect(port, TlsVersion.TLS1_2, "a.test", tls12, null),
                TlsVersion.TLS1_2), "a TLS 1.2 ticket from before the reloads did not resume");
        assertTrue(SClient.reused(SClient.connect(port, TlsVersion.TLS1_3, "b.test", tls13, null),
                TlsVersion.TLS1_3), "a TLS 1.3 ticket from before the reloads did not resume");
    }
}

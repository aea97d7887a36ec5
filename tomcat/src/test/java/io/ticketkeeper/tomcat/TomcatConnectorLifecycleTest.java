package io.ticketkeeper.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.harness.SClient;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connector's handle lives as long as the connector: made with its first context (here from the defaults, no
 * properties file: generated keys rotating), closed with its key thread when the connector stops and Tomcat
 * destroys the contexts.
 */
class TomcatConnectorLifecycleTest {
    @TempDir
    Path folder;

    @Test
    void stoppingTheConnectorDetachesItsContextsAndClosesItsHandle() throws Exception {
        HostCertificate certificate = HostCertificate.create(folder, "a.test", "b.test");
        Set<TicketKeeperHandle> before = TicketKeeperSslImplementation.openHandles();
        TicketKeeperHandle handle;
        List<TicketContext> contexts;
        Thread keyThread;
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(folder.resolve("tomcat"),
                TicketKeeperSslImplementation.class.getName(), certificate, "a.test", "b.test")) {
            Set<TicketKeeperHandle> made = new HashSet<>(TicketKeeperSslImplementation.openHandles());
            made.removeAll(before);
            assertEquals(1, made.size(), "one connector, one handle");
            handle = made.iterator().next();
            contexts = handle.contexts();
            assertEquals(2, contexts.size(), contexts::toString);
            keyThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("ticketkeeper-keys-") && !threadsBefore.contains(thread))
                    .findFirst().orElseThrow();
            Path session = folder.resolve("session.pem");
            SClient.connect(tomcat.port(), TlsVersion.TLS1_3, "b.test", null, session);
            assertTrue(SClient.reused(SClient.connect(tomcat.port(), TlsVersion.TLS1_3, "b.test", session, null),
                    TlsVersion.TLS1_3), "generated keys did not resume");
        }
        assertTrue(handle.isClosed(), "the connector stopped but its handle is open");
        assertFalse(TicketKeeperSslImplementation.openHandles().contains(handle));
        for (TicketContext context : contexts) {
            assertTrue(context.state() != TicketContext.State.ATTACHED, context::toString);
        }
        keyThread.join(10_000);
        assertFalse(keyThread.isAlive(), "the handle's key thread outlived the connector");
    }
}

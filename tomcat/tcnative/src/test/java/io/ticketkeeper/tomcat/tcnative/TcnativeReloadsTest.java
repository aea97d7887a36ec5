package io.ticketkeeper.tomcat.tcnative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.harness.SClient;
import io.ticketkeeper.tomcat.ConnectorHandle;
import io.ticketkeeper.tomcat.LoadDuring;
import io.ticketkeeper.tomcat.TicketKeeperSslImplementation;
import io.ticketkeeper.tomcat.TicketsBefore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reloadSslHostConfigs()} and {@code reloadSslHostConfig(name)} under load on tomcat-native (generated keys,
 * no properties file): no request fails, one handle stays, tickets from before the reloads resume, and the
 * replaced contexts leave the handle once tomcat-native frees them. The load is {@code openssl s_client}, which
 * closes its connections: the JDK 17 client's idle connections would keep the replaced contexts in use.
 *
 * <p>This Tomcat is stopped but not destroyed: with tomcat-native 1.2.35 (Debian 12) and Tomcat 10.1.46, destroying
 * a connector whose host configs were reloaded after serving handshakes crashes the JVM in
 * {@code SSLContext.free} (heap corruption in {@code SSL_CTX_free}) with Tomcat's own
 * {@code OpenSSLImplementation} too, without TicketKeeper. Surefire runs every class of this module in a JVM of its
 * own, which ends after it.
 */
class TcnativeReloadsTest {
    private static final String[] HOSTS = {"a.test", "b.test"};

    @TempDir
    Path folder;

    @Test
    void reloadsUnderLoadFailNoRequestAndOldTicketsStillResume() throws Exception {
        HostCertificate certificate = HostCertificate.create(folder, HOSTS);
        Tomcat10 tomcat = Tomcat10.start(folder.resolve("tomcat"), TicketKeeperSslImplementation.class.getName(),
                certificate, false, HOSTS);
        try {
            reloadUnderLoad(tomcat);
        } finally {
            tomcat.stopWithoutDestroy();
        }
    }

    private void reloadUnderLoad(Tomcat10 tomcat) throws Exception {
        TicketsBefore before = TicketsBefore.seal(folder, tomcat.port());
        TicketKeeperHandle handle = ConnectorHandle.only();

        int served = LoadDuring.served(List.of(HOSTS), (host, version) -> {
            String output = SClient.connect(tomcat.port(), version, host, null, null);
            assertTrue(output.contains("ok " + host), output);
        }, () -> {
            for (int round = 0; round < 10; round++) {
                tomcat.reloadSslHostConfigs();
                tomcat.reloadSslHostConfig("b.test");
                Thread.sleep(50);
            }
        });
        assertTrue(served >= 20, "too little load: " + served);
        System.out.println("20 reloads under load: " + served + " requests served, none failed");

        assertEquals(List.of(handle), List.copyOf(TicketKeeperSslImplementation.openHandles()),
                "a reload made another handle");
        before.assertResume(tomcat.port());

        // tomcat-native frees a replaced context once nothing uses it (this Tomcat keeps no closed connection's
        // channel, which would hold its last engine and context); each then leaves the handle.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (handle.contexts().size() > HOSTS.length && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        assertEquals(HOSTS.length, handle.contexts().size(), "replaced contexts never left the handle: "
                + handle.contexts());
    }
}

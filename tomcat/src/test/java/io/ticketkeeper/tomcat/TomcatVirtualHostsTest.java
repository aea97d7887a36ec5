package io.ticketkeeper.tomcat;

import static io.ticketkeeper.tomcat.ConnectorHandle.counted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.harness.JdkHttpsClient;
import io.ticketkeeper.harness.SClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Embedded Tomcat 11 with its FFM OpenSSL connector, two virtual hosts ({@code a.test}, {@code b.test}, one
 * certificate naming both) and TicketKeeper named by {@code sslImplementationName}, its keys from an nginx key file
 * given in a properties file. Real clients: {@code openssl s_client} and the JDK's HttpClient, TLS 1.2 and 1.3.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TomcatVirtualHostsTest {
    private static final String[] HOSTS = {"a.test", "b.test"};

    @TempDir
    static Path folder;
    private static HostCertificate certificate;
    private static EmbeddedTomcat tomcat;
    private static SSLContext trusting;

    @BeforeAll
    static void startTomcat() throws Exception {
        certificate = HostCertificate.create(folder, HOSTS);
        trusting = certificate.trustingClientContext();
        byte[] key = new byte[80];
        new SecureRandom().nextBytes(key);
        Files.write(folder.resolve("ticket.key"), key);
        Path settings = folder.resolve("ticketkeeper.properties");
        Files.writeString(settings, "keys = files\nkeys.files = ticket.key\nkeys.format = nginx\n");
        System.setProperty(TicketKeeperProperties.FILE_PROPERTY, settings.toString());
        tomcat = EmbeddedTomcat.start(folder.resolve("tomcat"), TicketKeeperSslImplementation.class.getName(),
                certificate, HOSTS);
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        System.clearProperty(TicketKeeperProperties.FILE_PROPERTY);
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Order(1)
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void sClientResumesOnEachHostAndATicketForAnotherHostGetsAFullHandshake(TlsVersion version) throws Exception {
        for (String host : HOSTS) {
            Path session = folder.resolve(host + "-" + version + ".pem");
            long resumed = counted(host, TicketStats::resumed);
            String first = SClient.connect(tomcat.port(), version, host, null, session);
            assertTrue(SClient.fresh(first, version) && first.contains("ok " + host), first);
            String again = SClient.connect(tomcat.port(), version, host, session, null);
            assertTrue(SClient.reused(again, version), host + ": " + again);
            assertEquals(resumed + 1, counted(host, TicketStats::resumed), "TicketKeeper did not count it");
        }
        long rejected = counted("b.test", TicketStats::rejectedOtherHost);
        String crossed = SClient.connect(tomcat.port(), version, "b.test",
                folder.resolve("a.test-" + version + ".pem"), null);
        assertTrue(SClient.fresh(crossed, version) && crossed.contains("ok b.test"),
                "a ticket for a.test resumed on b.test: " + crossed);
        assertEquals(rejected + 1, counted("b.test", TicketStats::rejectedOtherHost));
    }

    @Order(2)
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void theJdkClientResumesOnEachHost(TlsVersion version) throws Exception {
        for (String host : HOSTS) {
            long resumed = counted(host, TicketStats::resumed);
            for (int request = 0; request < 3; request++) {
                assertEquals("ok " + host, get(host, version));
            }
            assertEquals(resumed + 2, counted(host, TicketStats::resumed),
                    host + ": the JDK client's second and third connections did not resume");
        }
    }

    private static String get(String host, TlsVersion version) throws Exception {
        return JdkHttpsClient.get(trusting, host, tomcat.port(), version);
    }

    @Order(3)
    @Test
    void twentyReloadsUnderLoadFailNoRequestLeakNothingAndOldTicketsStillResume() throws Exception {
        TicketsBefore before = TicketsBefore.seal(folder, tomcat.port());
        TicketKeeperHandle handle = ConnectorHandle.only();
        long keyThreads = keyThreads();

        int served = LoadDuring.served(List.of(HOSTS),
                (host, version) -> assertEquals("ok " + host, get(host, version)), () -> {
                    for (int reload = 0; reload < 20; reload++) {
                        tomcat.reloadSslHostConfigs();
                        Thread.sleep(50);
                    }
                });
        assertTrue(served >= 20, "too little load: " + served);

        assertEquals(handle, ConnectorHandle.only(), "a reload made another handle");
        assertEquals(keyThreads, keyThreads(), "a reload left a key thread behind");
        before.assertResume(tomcat.port());

        // The replaced contexts are Tomcat's to free once nothing uses them; each then leaves the handle.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (handle.contexts().size() > HOSTS.length && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        List<TicketContext> contexts = handle.contexts();
        assertEquals(HOSTS.length, contexts.size(), "replaced contexts never left the handle: " + contexts);
    }

    private static long keyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("ticketkeeper-keys-")).count();
    }
}

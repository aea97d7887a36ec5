package io.ticketkeeper.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.harness.JdkHttpsClient;
import io.ticketkeeper.harness.SClient;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionStore;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Netty 4.2 HTTPS server on netty-tcnative built against the system OpenSSL, its two virtual hosts
 * ({@code a.test}, {@code b.test}, one certificate naming both, one SslContext each) behind an SniHandler whose
 * mapping TicketKeeper made. Real clients: {@code openssl s_client} and the JDK's HttpClient, TLS 1.2 and 1.3.
 */
class NettyVirtualHostsTest {
    @TempDir
    static Path folder;
    private static HostCertificate certificate;
    private static SSLContext trusting;
    private static TicketKeeperSniMapping hosts;
    private static NettyHttpsServer server;

    @BeforeAll
    static void startNetty() throws Exception {
        TcnativeLibrary.ensureBuilt();
        OpenSsl.ensureAvailability();
        certificate = HostCertificate.create(folder, "a.test", "b.test");
        trusting = certificate.trustingClientContext();
        SslContext a = serverContext();
        SslContext b = serverContext();
        hosts = TicketKeeperNetty.sni(a, Map.of("a.test", a, "b.test", b), TicketKeeperOptions.defaults());
        server = NettyHttpsServer.start(connection -> new SniHandler(hosts));
    }

    @AfterAll
    static void stopNetty() throws Exception {
        if (server != null) {
            server.close();
        }
        if (hosts != null) {
            hosts.release();
        }
    }

    private static SslContext serverContext() throws Exception {
        return SslContextBuilder.forServer(certificate.certificateFile().toFile(), certificate.keyFile().toFile())
                .sslProvider(SslProvider.OPENSSL_REFCNT).protocols("TLSv1.2", "TLSv1.3").build();
    }

    private static long counted(String host, java.util.function.ToLongFunction<TicketStats> counter) {
        return counter.applyAsLong(hosts.context(host).orElseThrow().stats());
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void sClientResumesOnEachHostAndATicketForAnotherHostGetsAFullHandshake(TlsVersion version) throws Exception {
        for (String host : new String[] {"a.test", "b.test"}) {
            Path session = folder.resolve(host + "-" + version + ".pem");
            long resumed = counted(host, TicketStats::resumed);
            String first = SClient.connect(server.port(), version, host, null, session);
            assertTrue(SClient.fresh(first, version) && first.contains("ok " + host), first);
            String again = SClient.connect(server.port(), version, host, session, null);
            assertTrue(SClient.reused(again, version), host + " (Netty turns TLS 1.2 tickets off unless "
                    + "TicketKeeper turned them on): " + again);
            assertEquals(resumed + 1, counted(host, TicketStats::resumed), "TicketKeeper did not count it");
        }
        long rejected = counted("b.test", TicketStats::rejectedOtherHost);
        String crossed = SClient.connect(server.port(), version, "b.test",
                folder.resolve("a.test-" + version + ".pem"), null);
        assertTrue(SClient.fresh(crossed, version), "a ticket for a.test resumed on b.test: " + crossed);
        assertEquals(rejected + 1, counted("b.test", TicketStats::rejectedOtherHost));
        assertEquals(Set.of(), hosts.context("a.test").orElseThrow().findings(), "SSL_OP_NO_TICKET left set");
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void theJdkClientResumesOnEachHost(TlsVersion version) throws Exception {
        for (String host : new String[] {"a.test", "b.test"}) {
            long resumed = counted(host, TicketStats::resumed);
            for (int request = 0; request < 3; request++) {
                assertEquals("ok " + host, JdkHttpsClient.get(trusting, host, server.port(), version));
            }
            assertEquals(resumed + 2, counted(host, TicketStats::resumed),
                    host + ": the JDK client's second and third connections did not resume");
        }
    }

    /**
     * Netty's own setTicketKeys after TicketKeeper's install takes the ticket key callback: its tickets resume, and
     * TicketKeeper counts them as foreign, not as its resumptions. release() closes the handle, then the context.
     */
    @Test
    void nettysOwnTicketKeysAfterInstallAreDetectedAndReleaseClosesTheHandle() throws Exception {
        SslContext netty = serverContext();
        TicketKeeperSslContext context = TicketKeeperNetty.install(netty, "a.test", TicketKeeperOptions.defaults());
        try (NettyHttpsServer single = NettyHttpsServer.start(connection -> context.newHandler(connection.alloc()))) {
            Path ours = folder.resolve("ours.pem");
            SClient.connect(single.port(), TlsVersion.TLS1_2, "a.test", null, ours);
            assertTrue(SClient.reused(SClient.connect(single.port(), TlsVersion.TLS1_2, "a.test", ours, null),
                    TlsVersion.TLS1_2));
            assertEquals(1, context.context().stats().resumed());

            byte[] key = new byte[48];
            new SecureRandom().nextBytes(key);
            ((OpenSslSessionContext) context.sessionContext()).setTicketKeys(new OpenSslSessionTicketKey(
                    java.util.Arrays.copyOfRange(key, 0, 16), java.util.Arrays.copyOfRange(key, 16, 32),
                    java.util.Arrays.copyOfRange(key, 32, 48)));
            Path theirs = folder.resolve("theirs.pem");
            SClient.connect(single.port(), TlsVersion.TLS1_2, "a.test", null, theirs);
            String resumed = SClient.connect(single.port(), TlsVersion.TLS1_2, "a.test", theirs, null);
            assertTrue(SClient.reused(resumed, TlsVersion.TLS1_2), "Netty's own keys did not resume: " + resumed);
            TicketStats stats = context.context().stats();
            assertEquals(1, stats.foreignTickets(), stats::toString);
            assertEquals(1, stats.resumed(), "a ticket Netty's callback opened counted as TicketKeeper's");
            assertEquals(1, context.handle().stats().foreignTickets());
        }
        assertFalse(context.handle().isClosed());
        assertTrue(context.release());
        assertTrue(context.handle().isClosed(), "release() left the handle open");
        assertEquals(TicketContext.State.CLOSED, context.context().state());
        assertEquals(0, ((ReferenceCountedOpenSslContext) netty).refCnt(), "release() did not release the Netty "
                + "context");
    }

    /** Netty registers its own session cache callbacks; TicketKeeper's session cache replaces them, and says so. */
    @Test
    void aSessionCacheThatReplacesNettysIsAFinding() throws Exception {
        SslContext netty = serverContext();
        TicketKeeperSslContext context = TicketKeeperNetty.install(netty, TicketKeeperOptions.builder()
                .sessionCache(SessionCacheOptions.of(SessionStore.inMemory(100))).build());
        try {
            assertEquals(Set.of(TicketContext.Finding.CACHE_CALLBACKS_REPLACED), context.context().findings());
        } finally {
            context.release();
        }
    }

    @Test
    void contextsTicketKeeperCannotServeAreRefused() throws Exception {
        SslContext jdk = SslContextBuilder.forServer(certificate.certificateFile().toFile(),
                certificate.keyFile().toFile()).sslProvider(SslProvider.JDK).build();
        IllegalArgumentException notOpenSsl = assertThrows(IllegalArgumentException.class,
                () -> TicketKeeperNetty.install(jdk, TicketKeeperOptions.defaults()));
        assertTrue(notOpenSsl.getMessage().contains("needs Netty's OpenSSL provider"), notOpenSsl.getMessage());
        SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL_REFCNT).build();
        try {
            assertThrows(IllegalArgumentException.class, () -> TicketKeeperNetty.install(client,
                    TicketKeeperOptions.defaults()));
        } finally {
            ((ReferenceCountedOpenSslContext) client).release();
        }
    }
}

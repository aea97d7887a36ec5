package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.VersionRange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code serve} against clients that are not ours: openssl s_client, gnutls-cli and the JDK's own TLS client, each
 * on an ephemeral loopback port, for TLS 1.2 and TLS 1.3.
 */
class RealPeersTest {
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(30);
    private static final String REQUEST = "GET / HTTP/1.0\r\n\r\n";

    static {
        // Read once by the JDK's TLS code: TLS 1.2 clients then offer stateless tickets (RFC 5077).
        System.setProperty("jdk.tls.client.enableSessionTicketExtension", "true");
    }

    @TempDir
    Path directory;

    private final HandshakeLog events = new HandshakeLog();

    private HttpsResponder serve(TlsVersion version) throws IOException {
        return serve(ServerSettings.builder().versions(VersionRange.only(version)));
    }

    private HttpsResponder serve(ServerSettings.Builder settings) throws IOException {
        return HttpsResponder.start(settings.build(), events::add);
    }

    /** s_client with -sess_out/-sess_in; the request makes it read the answer, and with it TLS 1.3 tickets. */
    private static String sClient(int port, TlsVersion version, Path sessionIn, Path sessionOut) throws Exception {
        String output = SClient.connect(port, version, sessionIn, sessionOut);
        assertTrue(output.contains("ticketkeeper serve: " + version), output);
        return output;
    }

    /**
     * After a key rotation the first ticket resumes and is renewed under the new key, and the renewed ticket
     * resumes: serve's log shows which key sealed each ticket presented, so the last resumption can only have
     * come from the renewed ticket. serve rotates its generated keys every hour by a manual clock, moved here.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void opensslSClientResumesAndTheRenewedTicketResumes(TlsVersion version) throws Exception {
        Path first = directory.resolve("first.pem");
        Path second = directory.resolve("second.pem");
        ManualClock clock = new ManualClock();
        Duration period = Duration.ofHours(1);
        try (HttpsResponder responder = serve(ServerSettings.builder().versions(VersionRange.only(version))
                .clock(clock).rotateEvery(period))) {
            String fresh = sClient(responder.port(), version, null, first);
            assertTrue(fresh.contains("New, " + version), fresh);
            clock.advance(period);
            responder.handle().refreshKeys();
            if (version == TlsVersion.TLS1_3) {
                String renewed = sClient(responder.port(), version, first, second);
                assertTrue(SClient.reused(renewed, version), renewed);
                assertFalse(Files.readString(first).equals(Files.readString(second)), "the ticket was not renewed");
                String again = sClient(responder.port(), version, second, null);
                assertTrue(SClient.reused(again, version), again);
            } else {
                // s_client writes -sess_out only for new TLS 1.2 sessions; -reconnect offers the session it holds,
                // which after the first resumption carries the renewed ticket.
                String reconnected = SClient.connect(responder.port(), version, first, null, "-reconnect");
                assertTrue(reconnected.lines().filter(line -> line.startsWith("Reused, " + version)).count() >= 2,
                        reconnected);
            }
        }
        HandshakeEvent renewal = events.get(1);
        assertTrue(renewal.renewed(), renewal.logLine());
        assertFalse(renewal.sealingKey().equals(renewal.presentedKey()), "renewed under the old key: " + renewal);
        HandshakeEvent renewedTicket = events.get(2);
        assertTrue(renewedTicket.resumed(), renewedTicket.logLine());
        assertEquals(renewal.sealingKey(), renewedTicket.presentedKey(), "not the renewed ticket: " + events);
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void gnutlsCliResumes(TlsVersion version) throws Exception {
        assertTrue(ExternalProcess.installed("/usr/bin/gnutls-cli"), "gnutls-cli is missing: apt-get install gnutls-bin");
        String priority = "NORMAL:-VERS-ALL:+VERS-TLS" + (version == TlsVersion.TLS1_2 ? "1.2" : "1.3");
        try (HttpsResponder responder = serve(version)) {
            ExternalProcess.Result result = ExternalProcess.run(List.of("gnutls-cli", "--insecure", "--resume",
                    "--priority", priority, "-p", String.valueOf(responder.port()), "127.0.0.1"), "", PEER_TIMEOUT);
            assertTrue(result.output().contains("*** This is a resumed session"), result.output());
        }
        assertEquals(1, events.stream().filter(HandshakeEvent::resumed).count(), events.toString());
        assertEquals(1, events.stream().filter(event -> event.presentedKey() != null).count(),
                "the resumption was not by ticket: " + events);
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void theJdkClientResumes(TlsVersion version) throws Exception {
        Path certificate = directory.resolve("serve.pem");
        HttpsResponder responder = serve(version);
        try {
            responder.writeCertificate(certificate);
            SSLContext client = trusting(certificate);
            byte[] firstId = jdkConnection(client, responder.port(), version);
            byte[] secondId = jdkConnection(client, responder.port(), version);
            if (version == TlsVersion.TLS1_2) {
                // The JDK keeps the session id it offered when a TLS 1.2 ticket resumes.
                assertTrue(java.util.Arrays.equals(firstId, secondId), "the JDK did not resume the session");
            }
        } finally {
            responder.close();
        }
        assertEquals(1, responder.counters().resumed(), events.toString());
        assertEquals(1, responder.handle().stats().resumed(), "not resumed by a ticket: " + events);
    }

    /** A JDK client context that trusts the one certificate in {@code certificatePem}. */
    static SSLContext trusting(Path certificatePem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            trust.setCertificateEntry("serve", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** One request; reading the answer to its end lets the JDK process TLS 1.3 tickets. */
    private static byte[] jdkConnection(SSLContext context, int port, TlsVersion version) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {version.toString()});
            socket.startHandshake();
            socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.contains("200 OK"), answer);
            return socket.getSession().getId();
        }
    }
}

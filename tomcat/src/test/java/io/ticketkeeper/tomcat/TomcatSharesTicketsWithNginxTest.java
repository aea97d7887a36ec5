package io.ticketkeeper.tomcat;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.VersionRange;
import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.harness.NginxServer;
import io.ticketkeeper.harness.SClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debian's nginx and an embedded Tomcat with TicketKeeper share one nginx key file ({@code ssl_session_ticket_key},
 * {@code keys.files}) and one certificate, and Tomcat takes nginx's session id context: each resumes the other's
 * tickets, TLS 1.2 and 1.3, seen by {@code openssl s_client}. The Tomcat side is configured in code here: a
 * subclass of the connector's SSLImplementation that reads its own properties file.
 */
class TomcatSharesTicketsWithNginxTest {
    @TempDir
    static Path folder;
    private static NginxServer nginx;
    private static EmbeddedTomcat tomcat;
    private static Path settings;

    /** The embedded way to configure: name a subclass whose options() builds the options. */
    public static final class FromTestSettings extends TicketKeeperSslImplementation {
        @Override
        protected TicketKeeperOptions options() {
            return TicketKeeperProperties.read(settings);
        }
    }

    @BeforeAll
    static void startBoth() throws Exception {
        assumeTrue(NginxServer.available(), "nginx is not installed (Debian: nginx-light)");
        Path keyFile = folder.resolve("ticket.key");
        byte[] key = new byte[80];
        new SecureRandom().nextBytes(key);
        Files.write(keyFile, key);
        settings = folder.resolve("ticketkeeper.properties");
        Files.writeString(settings, "keys = files\nkeys.files = " + keyFile + "\nsessionIdContext = nginx\n"
                // nginx's tickets carry no host stamp: Tomcat's named hosts refuse them unless told otherwise.
                + "acceptUnboundTickets = true\n");
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("a.test")) {
            nginx = NginxServer.start(folder, certificate, VersionRange.ALL, List.of(keyFile), Duration.ofHours(1));
            Path certificateFile = folder.resolve("tomcat.crt");
            Path keyPemFile = folder.resolve("tomcat.key");
            certificate.writePem(certificateFile, keyPemFile);
            tomcat = EmbeddedTomcat.start(folder.resolve("tomcat"), FromTestSettings.class.getName(),
                    new HostCertificate(certificateFile, keyPemFile), "a.test");
        }
    }

    @AfterAll
    static void stopBoth() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void nginxAndTomcatResumeEachOthersTickets(TlsVersion version) throws Exception {
        Path fromNginx = folder.resolve("nginx-" + version + ".pem");
        Path fromTomcat = folder.resolve("tomcat-" + version + ".pem");
        String nginxFirst = SClient.connect(nginx.port(), version, "a.test", null, fromNginx);
        assertTrue(SClient.fresh(nginxFirst, version), nginxFirst);
        String onTomcat = SClient.connect(tomcat.port(), version, "a.test", fromNginx, null);
        assertTrue(SClient.reused(onTomcat, version) && onTomcat.contains("ok a.test"),
                "nginx's ticket did not resume on Tomcat: " + onTomcat);

        String tomcatFirst = SClient.connect(tomcat.port(), version, "a.test", null, fromTomcat);
        assertTrue(SClient.fresh(tomcatFirst, version), tomcatFirst);
        String onNginx = SClient.connect(nginx.port(), version, "a.test", fromTomcat, null);
        assertTrue(SClient.reused(onNginx, version), "Tomcat's ticket did not resume on nginx: " + onNginx + "\n"
                + nginx.log());
    }
}

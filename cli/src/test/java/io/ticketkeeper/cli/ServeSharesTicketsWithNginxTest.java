package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.VersionRange;
import io.ticketkeeper.harness.NginxServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nginx and {@code serve} (its own process, started with the flags a person types) share one 80-byte key file and
 * nginx's session id context: openssl s_client takes a ticket from one and resumes it on the other, both ways, in
 * TLS 1.2 and TLS 1.3. The key file is made by {@code ticketkeeper keygen}, and as nginx documents it
 * ({@code openssl rand 80}).
 */
class ServeSharesTicketsWithNginxTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"keygen", "openssl rand 80"})
    void ticketsResumeOnTheOtherServerBothWays(String madeBy) throws Exception {
        assertTrue(NginxServer.available(), "nginx is missing: apt-get install nginx-light");
        Path keyFile = directory.resolve("ticket.key");
        if (madeBy.equals("keygen")) {
            assertEquals(0, CommandResult.run("keygen", keyFile.toString()).exitCode());
        } else {
            ExternalProcess.Result rand = ExternalProcess.run(List.of("openssl", "rand", "-out", keyFile.toString(),
                    "80"), "", Duration.ofSeconds(30));
            assertEquals(0, rand.exitCode(), rand.output());
        }
        Path certificateFile = directory.resolve("serve.crt");
        Path privateKeyFile = directory.resolve("serve.key");
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost")) {
            certificate.writePem(certificateFile, privateKeyFile);
            try (NginxServer nginx = NginxServer.start(directory, certificate, VersionRange.ALL, List.of(keyFile),
                    Duration.ofMinutes(5));
                    ServeProcess serve = ServeProcess.start(directory.resolve("serve.log"), "--cert",
                            certificateFile.toString(), "--key", privateKeyFile.toString(), "--key-file",
                            keyFile.toString(), "--session-id-context", "nginx", "--max-age", "5m",
                            "--renew-after", "5m")) {
                for (TlsVersion version : TlsVersion.values()) {
                    Path fromNginx = directory.resolve("nginx-" + version + ".pem");
                    Path fromServe = directory.resolve("serve-" + version + ".pem");
                    SClient.connect(nginx.port(), version, null, fromNginx);
                    String onServe = SClient.connect(serve.port(), version, fromNginx, null);
                    assertTrue(SClient.reused(onServe, version), "nginx's " + version
                            + " ticket did not resume on serve: " + onServe + "\n" + serve.output());
                    SClient.connect(serve.port(), version, null, fromServe);
                    String onNginx = SClient.connect(nginx.port(), version, fromServe, null);
                    assertTrue(SClient.reused(onNginx, version), "serve's " + version
                            + " ticket did not resume on nginx: " + onNginx + "\n" + nginx.log());
                }
                String log = serve.stop();
                assertTrue(log.contains("keys from " + keyFile + " (nginx"), log);
            }
        }
    }
}

package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.VersionRange;
import io.ticketkeeper.harness.NginxServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code load} against Debian's nginx (tickets from a key file keygen wrote): a server that does not say why. */
class NginxLoadTest {
    @TempDir
    Path directory;

    @Test
    void nginxResumesWhatLoadOffers() throws Exception {
        assertTrue(NginxServer.available(), "nginx is missing: apt-get install nginx-light");
        Path key = directory.resolve("ticket.key");
        assertEquals(0, CommandResult.run("keygen", key.toString()).exitCode());
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
                NginxServer nginx = NginxServer.start(directory, certificate, VersionRange.ALL, List.of(key),
                        Duration.ofMinutes(5))) {
            for (String version : List.of("--tls1.2", "--tls1.3")) {
                CommandResult load = CommandResult.run("load", "127.0.0.1", String.valueOf(nginx.port()), "-c", "4",
                        "-n", "80", "--resume", "100%", version, "--json", "-q");
                String json = load.out();
                assertEquals(0, load.exitCode(), version + ": " + json + load.err() + nginx.log());
                assertEquals(80, LoadJson.number(json, "connections"), json);
                assertEquals(0, LoadJson.number(json, "failed"), json);
                assertEquals(76, LoadJson.number(json, "offered"), "every reconnection offers: " + json);
                assertEquals(76, LoadJson.number(json, "offeredResumed"), json);
                assertEquals("{}", LoadJson.object(json, "serverOutcomes"), "nginx sends no outcome: " + json);
            }
        }
    }
}

package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.VersionRange;
import io.ticketkeeper.harness.NginxServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code probe} against Debian's nginx with {@code ssl_session_ticket_key} files written by {@code keygen}: first
 * one 80-byte key, then two (the first encrypts, the second only decrypts).
 */
class NginxProbeTest {
    @TempDir
    Path directory;

    @Test
    void probeSeesNginxResumeWithOneKeyFileThenTwo() throws Exception {
        assertTrue(NginxServer.available(), "nginx is missing: apt-get install nginx-light");
        Path first = directory.resolve("first.key");
        Path second = directory.resolve("second.key");
        assertEquals(0, CommandResult.run("keygen", first.toString()).exitCode());
        assertEquals(0, CommandResult.run("keygen", second.toString()).exitCode());

        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost")) {
            for (List<Path> keys : List.of(List.of(first), List.of(second, first))) {
                Path prefix = Files.createDirectories(directory.resolve("nginx-" + keys.size()));
                try (NginxServer nginx = NginxServer.start(prefix, certificate, VersionRange.ALL, keys,
                        Duration.ofMinutes(5))) {
                    for (String version : List.of("--tls1.2", "--tls1.3")) {
                        CommandResult probe = CommandResult.run("probe", "127.0.0.1", String.valueOf(nginx.port()),
                                "-r", "2", version);
                        assertEquals(0, probe.exitCode(), keys + " " + version + ":\n" + probe.out() + probe.err());
                        assertTrue(probe.out().contains("2 of 2 reconnections reused"), probe.out());
                    }
                }
            }
        }
    }
}

package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ticketkeeper serve} as its own process: a log line per connection, and its counters on SIGTERM. */
class ServeProcessTest {
    @TempDir
    Path directory;

    @Test
    void servePrintsItsCountersWhenTerminated() throws Exception {
        try (ServeProcess serve = ServeProcess.start(directory.resolve("serve.log"))) {
            CommandResult probe = CommandResult.run("probe", "127.0.0.1", String.valueOf(serve.port()), "-r", "1");
            assertEquals(0, probe.exitCode(), probe.out() + probe.err());

            String output = serve.stop();
            assertTrue(output.contains("serve: #1 ") && output.contains(" full "), output);
            assertTrue(output.contains("serve: #2 ") && output.contains(" resumed "), output);
            assertTrue(output.contains("serve: stopped; 2 connections: 1 full handshakes, 1 resumed"), output);
            assertTrue(output.contains("tickets sealed"), output);
        }
    }

    @Test
    void renewAfterDefaultsToHalfOfMaxAge() throws Exception {
        try (ServeProcess serve = ServeProcess.start(directory.resolve("serve.log"), "--max-age", "2m")) {
            String output = serve.stop();
            assertTrue(output.contains("max age 2m, renew after 1m"), output);
        }
    }
}

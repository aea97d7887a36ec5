package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ticketkeeper serve} as its own process: a log line per connection, and its counters on SIGTERM. */
class ServeProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path directory;

    @Test
    void servePrintsItsCountersWhenTerminated() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = directory.resolve("serve.log");
        Process serve = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), TicketKeeperCommand.class.getName(), "serve", "--port", "0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            int port = awaitPort(serve, log);
            CommandResult probe = CommandResult.run("probe", "127.0.0.1", String.valueOf(port), "-r", "1");
            assertEquals(0, probe.exitCode(), probe.out() + probe.err());

            serve.destroy(); // SIGTERM
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
            String output = Files.readString(log);
            assertTrue(output.contains("serve: #1 ") && output.contains(" full "), output);
            assertTrue(output.contains("serve: #2 ") && output.contains(" resumed "), output);
            assertTrue(output.contains("serve: stopped; 2 connections: 1 full handshakes, 1 resumed"), output);
            assertTrue(output.contains("tickets issued"), output);
        } finally {
            serve.destroyForcibly();
        }
    }

    private static int awaitPort(Process serve, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher matcher = LISTENING.matcher(Files.readString(log));
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            if (!serve.isAlive()) {
                throw new AssertionError("serve exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve did not start listening: " + Files.readString(log));
    }
}

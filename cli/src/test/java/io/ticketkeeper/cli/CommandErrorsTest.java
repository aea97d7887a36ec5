package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Bad flags, unreachable hosts and unreadable files: one clear line, a non-zero exit, no stack trace. */
class CommandErrorsTest {
    private static void assertOneLine(CommandResult result, String expected) {
        assertTrue(result.exitCode() != 0, result.out());
        assertTrue(result.err().contains(expected), result.err());
        assertFalse(result.err().contains("\tat "), "a stack trace: " + result.err());
    }

    @Test
    void aBadDurationNamesTheValue() {
        assertOneLine(CommandResult.run("probe", "127.0.0.1", "443", "--delay", "soon"), "'soon' is not a duration");
    }

    @Test
    void anUnreachableHostIsOneLine() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CommandResult result = CommandResult.run("probe", "127.0.0.1", String.valueOf(closedPort), "-r", "1");
        assertEquals(2, result.exitCode());
        assertOneLine(result, "ticketkeeper probe: cannot connect to 127.0.0.1:" + closedPort);
        assertEquals(1, result.err().lines().count(), result.err());
    }

    @Test
    void anUnreadableCertificateFileIsNamed() {
        assertOneLine(CommandResult.run("serve", "--port", "0", "--cert", "/nonexistent/cert.pem", "--key",
                "/nonexistent/key.pem"), "/nonexistent/cert.pem: cannot read the certificate file");
    }

    @Test
    void aSessionCacheThisBuildLacksIsNamed() {
        assertOneLine(CommandResult.run("serve", "--session-cache", "redis://127.0.0.1:6379"),
                "session cache 'redis://127.0.0.1:6379' is not available");
    }

    @Test
    void renewAfterBeyondMaxAgeIsRefused() {
        assertOneLine(CommandResult.run("serve", "--port", "0", "--max-age", "1h", "--renew-after", "2h"),
                "--renew-after (2h) must be between 0 and --max-age (1h)");
    }

    @Test
    void debugShowsTheStackTrace() {
        CommandResult result = CommandResult.run("--debug", "serve", "--port", "0", "--cert", "/nonexistent.pem",
                "--key", "/nonexistent.key");
        assertTrue(result.err().contains("\tat "), result.err());
    }
}

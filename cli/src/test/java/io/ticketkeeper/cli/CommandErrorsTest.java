package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void anUnknownSessionCacheIsNamed() {
        assertOneLine(CommandResult.run("serve", "--session-cache", "memcached://127.0.0.1:11211"),
                "'memcached://127.0.0.1:11211' is not a session cache; use none, openssl, memory");
    }

    @Test
    void aBadKeyFileIsNamedWithTheReason(@TempDir Path directory) throws IOException {
        Path keyFile = Files.write(directory.resolve("short.key"), new byte[79]);
        CommandResult result = CommandResult.run("serve", "--port", "0", "--key-file", keyFile.toString());
        assertOneLine(result, "ticketkeeper serve: ticket key file " + keyFile + ": 79 bytes, expected 80");
        assertEquals(1, result.err().lines().count(), result.err());
        assertOneLine(CommandResult.run("serve", "--port", "0", "--key-file", keyFile.toString(), "--key-format",
                "nginx-80"),
                "'nginx-80' is not a key file format; use openssl-80, nginx-48, openssl-48, nginx, haproxy");
    }

    /**
     * Issue 18, item 12: TLS-Scanner's positive control, a key file of repeated DEADBEEF (a known default key that
     * the scanner then decrypts every ticket with), is refused, naming the file and the reason.
     */
    @Test
    void aWeakKeyFileIsRefusedWithTheFileAndTheReason(@TempDir Path directory) throws IOException {
        byte[] deadbeef = new byte[80];
        for (int i = 0; i < deadbeef.length; i++) {
            deadbeef[i] = (byte) new int[] {0xde, 0xad, 0xbe, 0xef}[i % 4];
        }
        Path keyFile = Files.write(directory.resolve("weak.key"), deadbeef);
        CommandResult result = CommandResult.run("serve", "--port", "0", "--key-file", keyFile.toString());
        assertOneLine(result, "ticketkeeper serve: ticket key file " + keyFile
                + ": HMAC key repeats a pattern of 4 bytes (a default or hand-made key) (name|HMAC|AES)");
    }

    @Test
    void aBadSessionKeyFileAndAnUnreachableRedisAreNamed(@TempDir Path directory) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String redis = "redis://127.0.0.1:" + closedPort;
        Path shortKey = Files.write(directory.resolve("short.key"), new byte[16]);
        assertOneLine(CommandResult.run("serve", "--port", "0", "--session-cache", redis, "--session-key-file",
                shortKey.toString()), "session key file " + shortKey + ": 16 bytes, expected 32");
        assertOneLine(CommandResult.run("serve", "--port", "0", "--session-cache", redis),
                "could not connect to Redis at redis://127.0.0.1:" + closedPort + ": Connection refused");
        assertOneLine(CommandResult.run("serve", "--port", "0", "--session-cache", "memory", "--session-key-file",
                shortKey.toString()), "--session-key-file seals sessions in a shared store");
    }

    @Test
    void fleetFlagsThatCannotWorkAreNamed(@TempDir Path directory) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String redis = "redis://127.0.0.1:" + closedPort;
        Path fleetKey = directory.resolve("fleet.key");
        assertEquals(0, CommandResult.run("keygen", "--format", "fleet", fleetKey.toString()).exitCode());
        Path shortKey = Files.write(directory.resolve("short.key"), new byte[16]);
        assertOneLine(CommandResult.run("serve", "--port", "0", "--key-source", redis),
                "--key-source " + redis + " needs --fleet-key-file (keygen --format fleet)");
        assertOneLine(CommandResult.run("serve", "--port", "0", "--fleet-key-file", fleetKey.toString()),
                "--fleet-key-file is for the fleet's keys in Redis: give --key-source redis://host:port");
        assertOneLine(CommandResult.run("serve", "--port", "0", "--key-source", "memcached://x",
                "--fleet-key-file", fleetKey.toString()), "--key-source 'memcached://x' is not a Redis URI");
        assertOneLine(CommandResult.run("serve", "--port", "0", "--key-source", redis, "--fleet-key-file",
                shortKey.toString()), "fleet key file " + shortKey + ": 16 bytes, expected 32 (ticketkeeper keygen "
                + "--format fleet)");
        assertOneLine(CommandResult.run("serve", "--port", "0", "--key-source", redis, "--fleet-key-file",
                fleetKey.toString(), "--key-file", fleetKey.toString()), "--key-source and --key-file both give");
        assertOneLine(CommandResult.run("serve", "--port", "0", "--key-source", redis, "--fleet-key-file",
                fleetKey.toString()), "could not reach the fleet's Redis at redis://127.0.0.1:" + closedPort
                + ": Connection refused");
        assertOneLine(CommandResult.run("serve", "--port", "0", "--redis-user", "fleet", "--key-source", redis,
                "--fleet-key-file", fleetKey.toString()), "--redis-user fleet needs --redis-password-file");
        assertOneLine(CommandResult.run("serve", "--port", "0", "--redis-ca-file", fleetKey.toString()),
                "--redis-password-file and --redis-ca-file are for --key-source redis://… and --session-cache");
    }

    @Test
    void aBadSessionIdContextIsNamed() {
        assertOneLine(CommandResult.run("serve", "--port", "0", "--session-id-context", "nginy"),
                "session id context 'nginy': neither nginx nor hex bytes");
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

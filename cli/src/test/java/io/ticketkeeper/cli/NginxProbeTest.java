package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.harness.TestCertificate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code probe} against Debian's nginx with {@code ssl_session_ticket_key} files written by {@code keygen}: first
 * one 80-byte key, then two (the first encrypts, the second only decrypts). nginx runs in the foreground with its
 * own prefix, configuration, pid and logs under a temporary directory, on a free loopback port.
 */
class NginxProbeTest {
    private static final String NGINX = "/usr/sbin/nginx";

    @TempDir
    Path prefix;

    @Test
    void probeSeesNginxResumeWithOneKeyFileThenTwo() throws Exception {
        assertTrue(ExternalProcess.installed(NGINX), "nginx is missing: apt-get install nginx-light");
        try (TestCertificate certificate = TestCertificate.create("localhost")) {
            certificate.writePem(prefix.resolve("cert.pem"), prefix.resolve("key.pem"));
        }
        Path first = prefix.resolve("first.key");
        Path second = prefix.resolve("second.key");
        assertEquals(0, CommandResult.run("keygen", first.toString()).exitCode());
        assertEquals(0, CommandResult.run("keygen", second.toString()).exitCode());

        int port = freePort();
        for (List<Path> keys : List.of(List.of(first), List.of(second, first))) {
            Process nginx = startNginx(port, keys);
            try {
                for (String version : List.of("--tls1.2", "--tls1.3")) {
                    CommandResult probe = CommandResult.run("probe", "127.0.0.1", String.valueOf(port), "-r", "2",
                            version);
                    assertEquals(0, probe.exitCode(), keys + " " + version + ":\n" + probe.out() + probe.err());
                    assertTrue(probe.out().contains("2 of 2 reconnections reused"), probe.out());
                }
            } finally {
                stop(nginx);
            }
        }
    }

    private Process startNginx(int port, List<Path> keyFiles) throws IOException, InterruptedException {
        Files.createDirectories(prefix.resolve("logs"));
        StringBuilder keys = new StringBuilder();
        for (Path key : keyFiles) {
            keys.append("    ssl_session_ticket_key ").append(key).append(";\n");
        }
        String conf = "pid " + prefix.resolve("nginx.pid") + ";\n"
                + "error_log " + prefix.resolve("logs/error.log") + " info;\n"
                + "worker_processes 1;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "  access_log off;\n"
                + "  client_body_temp_path " + prefix.resolve("tmp") + ";\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + port + " ssl;\n"
                + "    ssl_certificate " + prefix.resolve("cert.pem") + ";\n"
                + "    ssl_certificate_key " + prefix.resolve("key.pem") + ";\n"
                + "    ssl_protocols TLSv1.2 TLSv1.3;\n"
                + "    ssl_session_cache off;\n"
                + "    ssl_session_tickets on;\n"
                + keys
                + "    location / { return 200 \"nginx\\n\"; }\n"
                + "  }\n"
                + "}\n";
        Path confFile = prefix.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process nginx = new ProcessBuilder(NGINX, "-p", prefix.toString(), "-c", confFile.toString(),
                "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
                .start();
        awaitListening(nginx, port);
        return nginx;
    }

    private void awaitListening(Process nginx, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(prefix.resolve("logs/stdout.log"))
                        + Files.readString(prefix.resolve("logs/error.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + port);
    }

    /** SIGTERM is nginx's fast shutdown; the next configuration reuses the port. */
    private static void stop(Process nginx) throws InterruptedException {
        nginx.destroy();
        if (!nginx.waitFor(20, TimeUnit.SECONDS)) {
            nginx.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

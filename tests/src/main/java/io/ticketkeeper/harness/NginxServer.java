package io.ticketkeeper.harness;

import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ClientSession;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.SocketHandshake;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.VersionRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a real peer: one HTTPS server on a free loopback port, run in the foreground from its own
 * prefix under a temporary directory (configuration, pid, logs), answering every request with "ok". Stopped by
 * {@link #close()}.
 */
public final class NginxServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/nginx");
    /** An HTTP/1.0 request: nginx answers and closes. */
    public static final byte[] REQUEST = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of the answer the client reads: "HTTP/1.1 200". */
    public static final int RESPONSE_BYTES = 12;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final Path prefix;

    private NginxServer(Process process, int port, Path prefix) {
        this.process = process;
        this.port = port;
        this.prefix = prefix;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts nginx for {@code version} with {@code certificate} and the session ticket key files {@code keyFiles}
     * ({@code ssl_session_ticket_key}, the first one sealing) and {@code ssl_session_timeout}.
     */
    public static NginxServer start(Path directory, SelfSignedCertificate certificate, TlsVersion version,
            List<Path> keyFiles, Duration sessionTimeout) throws IOException {
        return start(directory, certificate, VersionRange.only(version), keyFiles, sessionTimeout);
    }

    /** As {@link #start(Path, SelfSignedCertificate, TlsVersion, List, Duration)}, offering {@code versions}. */
    public static NginxServer start(Path directory, SelfSignedCertificate certificate, VersionRange versions,
            List<Path> keyFiles, Duration sessionTimeout) throws IOException {
        Path prefix = Files.createDirectories(directory.resolve("nginx"));
        Files.createDirectories(prefix.resolve("logs"));
        Path certificateFile = prefix.resolve("server.crt");
        Path keyFile = prefix.resolve("server.key");
        certificate.writePem(certificateFile, keyFile);
        int port = freePort();
        StringBuilder keys = new StringBuilder();
        for (Path file : keyFiles) {
            keys.append("        ssl_session_ticket_key ").append(file.toAbsolutePath()).append(";\n");
        }
        String config = "worker_processes 1;\n"
                + "error_log " + prefix.resolve("logs/error.log") + " info;\n"
                + "pid " + prefix.resolve("nginx.pid") + ";\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "    access_log off;\n"
                + "    client_body_temp_path " + prefix.resolve("tmp-body") + ";\n"
                + "    proxy_temp_path " + prefix.resolve("tmp-proxy") + ";\n"
                + "    fastcgi_temp_path " + prefix.resolve("tmp-fastcgi") + ";\n"
                + "    uwsgi_temp_path " + prefix.resolve("tmp-uwsgi") + ";\n"
                + "    scgi_temp_path " + prefix.resolve("tmp-scgi") + ";\n"
                + "    server {\n"
                + "        listen 127.0.0.1:" + port + " ssl;\n"
                + "        ssl_certificate " + certificateFile + ";\n"
                + "        ssl_certificate_key " + keyFile + ";\n"
                + "        ssl_protocols " + versions.min() + (versions.min() == versions.max() ? ""
                        : " " + versions.max()) + ";\n"
                + "        ssl_session_tickets on;\n"
                + "        ssl_session_cache off;\n"
                + "        ssl_session_timeout " + sessionTimeout.toSeconds() + "s;\n"
                + keys
                + "        location / { return 200 \"ok\"; }\n"
                + "    }\n"
                + "}\n";
        Path configFile = prefix.resolve("nginx.conf");
        Files.writeString(configFile, config);
        Process process = new ProcessBuilder(BINARY.toString(), "-p", prefix.toString(), "-c", configFile.toString(),
                "-e", prefix.resolve("logs/error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
                .start();
        NginxServer server = new NginxServer(process, port, prefix);
        server.awaitListening();
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with " + process.exitValue() + ": " + log());
            }
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                try {
                    process.waitFor(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while nginx started", e);
                }
            }
        }
        close();
        throw new IOException("nginx did not listen on port " + port + " within " + START_TIMEOUT + ": " + log());
    }

    public int port() {
        return port;
    }

    /** nginx's error log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(prefix.resolve("logs/error.log")) + Files.readString(prefix.resolve("logs/stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A handshake against this nginx, offering {@code offer} (may be null). */
    public HandshakeResult handshake(ClientContext client, ClientSession offer) {
        return SocketHandshake.connectTo(port, client, offer, REQUEST, RESPONSE_BYTES);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

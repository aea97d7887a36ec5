package io.ticketkeeper.harness;

import io.ticketkeeper.endpoints.TlsVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_client} as a real peer of a server this process runs (Tomcat, Netty): one connection naming a
 * virtual host by SNI, one HTTP request for that host, the answer read to its end (so that TLS 1.3 tickets arrive
 * before the session is saved), sessions saved and offered as PEM files.
 */
public final class SClient {
    private static final long TIMEOUT_SECONDS = 30;

    private SClient() {
    }

    /**
     * One connection to loopback {@code port} in {@code version} for {@code host} (SNI and Host header), offering
     * the session in {@code sessionIn} and saving the new one to {@code sessionOut} (either may be null). Returns
     * what s_client printed.
     */
    public static String connect(int port, TlsVersion version, String host, Path sessionIn, Path sessionOut)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", host, version == TlsVersion.TLS1_2 ? "-tls1_2" : "-tls1_3", "-ign_eof"));
        if (sessionIn != null) {
            command.addAll(List.of("-sess_in", sessionIn.toString()));
        }
        if (sessionOut != null) {
            command.addAll(List.of("-sess_out", sessionOut.toString()));
        }
        String request = "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "s_client-output");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(request.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException exitedEarly) {
            // s_client ended before it read the request; its output says why
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl s_client did not finish in " + TIMEOUT_SECONDS + " s: " + output);
        }
        reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Whether s_client's output says the session was resumed in {@code version}. */
    public static boolean reused(String output, TlsVersion version) {
        return output.contains("Reused, " + version);
    }

    /** Whether s_client's output says it made a new session (a full handshake) in {@code version}. */
    public static boolean fresh(String output, TlsVersion version) {
        return output.contains("New, " + version);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ended) {
            // the process ended
        }
    }
}

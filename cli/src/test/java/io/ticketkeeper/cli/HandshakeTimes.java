package io.ticketkeeper.cli;

import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Times full handshakes against a server with the JDK's TLS client (a fresh client each time, so nothing resumes):
 * a handshake that waited on Redis would take at least the fleet's Redis timeout (1 s). Keeps the worst seen.
 */
final class HandshakeTimes {
    private final Path trusted;
    private long worstNanos;
    private int count;

    HandshakeTimes(Path trustedCertificatePem) {
        this.trusted = trustedCertificatePem;
    }

    /** One full handshake with {@code port}; returns its time. */
    Duration handshake(int port) throws Exception {
        SSLContext context = RealPeersTest.trusting(trusted);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
            socket.startHandshake();
            long took = System.nanoTime() - start;
            worstNanos = Math.max(worstNanos, took);
            count++;
            return Duration.ofNanos(took);
        }
    }

    /** Handshakes with each port in turn, {@code rounds} times, the JIT warm afterwards: for a baseline. */
    void warmUp(int rounds, int... ports) throws Exception {
        for (int i = 0; i < rounds; i++) {
            for (int port : ports) {
                handshake(port);
            }
        }
        worstNanos = 0;
        count = 0;
    }

    Duration worst() {
        return Duration.ofNanos(worstNanos);
    }

    int count() {
        return count;
    }

    /** Starts a new measurement; returns the worst of the one before. */
    Duration reset() {
        Duration worst = worst();
        worstNanos = 0;
        count = 0;
        return worst;
    }

    static String millis(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }
}

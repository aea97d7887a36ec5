package io.ticketkeeper.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the benchmarks' own (the Debian package) on a free loopback port, without persistence. The
 * benchmarks need only this, so they start it themselves rather than depend on the test harness, whose
 * {@code RedisServer} does much more for the tests (TLS, ACLs, kills, stalls, restarts).
 */
final class LocalRedis implements AutoCloseable {
    private static final String EXECUTABLE = System.getProperty("ticketkeeper.redis-server", "/usr/bin/redis-server");

    private final Process process;
    private final int port;

    private LocalRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts redis-server and returns once it accepts a connection (within 20 s, or it is stopped and fails). */
    static LocalRedis start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process process = new ProcessBuilder(EXECUTABLE, "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        LocalRedis redis = new LocalRedis(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return redis;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    redis.close();
                    throw new IllegalStateException(EXECUTABLE + " did not start on port " + port, notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s). An interrupt kills it at once and stays set. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

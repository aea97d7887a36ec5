package io.ticketkeeper.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (the Debian package) on an ephemeral loopback port, without persistence, for the tests
 * (the benchmarks start a plain one of their own, bench's LocalRedis): plain, with a password or ACL users
 * ({@link #start(String...)} with redis-server's own flags), or speaking TLS only ({@link #startTls}). Stop it with
 * {@link #close()}, kill it mid-test with {@link #kill()}, stall it with {@link #pause()}, and bring up an empty
 * one on the same port with {@link #restart()}.
 */
public final class RedisServer implements AutoCloseable {
    private static final String EXECUTABLE = System.getProperty("ticketkeeper.redis-server", "/usr/bin/redis-server");
    private static final long START_TIMEOUT_MS = 20_000;

    private final Process process;
    private final int port;
    private final boolean tls;
    private final List<String> flags;

    private RedisServer(Process process, int port, boolean tls, List<String> flags) {
        this.process = process;
        this.port = port;
        this.tls = tls;
        this.flags = flags;
    }

    /** Starts a plain redis-server on a free loopback port and returns once it accepts connections. */
    public static RedisServer start() throws IOException, InterruptedException {
        return launch(freePort(), false, List.of());
    }

    /**
     * Starts redis-server on a free loopback port with {@code flags} (for example {@code "--requirepass", "secret"}
     * or {@code "--user", "fleet", "on", ">secret", "~*", "&*", "+@all"}) and returns once it accepts connections.
     */
    public static RedisServer start(String... flags) throws IOException, InterruptedException {
        return launch(freePort(), false, List.of(flags));
    }

    /**
     * Starts redis-server speaking TLS only, with the certificate chain and key in {@code certificate} and
     * {@code key} (PEM) and no client certificates asked for; {@link #uri()} is then {@code rediss://localhost:port}.
     */
    public static RedisServer startTls(Path certificate, Path key, String... flags)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--tls-cert-file", certificate.toString(), "--tls-key-file",
                key.toString(), "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no"));
        all.addAll(List.of(flags));
        return launch(freePort(), true, List.copyOf(all));
    }

    private static RedisServer launch(int port, boolean tls, List<String> flags)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(EXECUTABLE))) {
            throw new IllegalStateException(EXECUTABLE + " is missing: install the Debian package redis-server");
        }
        Path log = Files.createTempFile("ticketkeeper-redis-", ".log");
        List<String> command = new ArrayList<>(List.of(EXECUTABLE, "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no"));
        command.addAll(tls ? List.of("--port", "0", "--tls-port", Integer.toString(port))
                : List.of("--port", Integer.toString(port)));
        command.addAll(flags);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RedisServer server = new RedisServer(process, port, tls, flags);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!Files.readString(log).contains("Ready to accept connections")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("redis-server on port " + port + " did not start: "
                        + Files.readString(log));
            }
            Thread.sleep(20);
        }
        Files.deleteIfExists(log);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** Whether the process still runs (not killed, not closed). */
    public boolean alive() {
        return process.isAlive();
    }

    /** The URI Lettuce connects to: {@code redis://127.0.0.1:port}, or {@code rediss://localhost:port} with TLS. */
    public String uri() {
        return tls ? "rediss://localhost:" + port : "redis://127.0.0.1:" + port;
    }

    /**
     * Kills this server (as a crash would) and starts an empty one on the same port with the same flags, as a Redis
     * without persistence comes back after a restart. This object is dead afterwards; use the one returned.
     */
    public RedisServer restart() throws IOException, InterruptedException {
        kill();
        return launch(port, tls, flags);
    }

    /** Stops the server's process (SIGSTOP): connections stay open but nothing is answered, as in a stall. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a paused server go on (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s). An interrupt kills it at once and stays set. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

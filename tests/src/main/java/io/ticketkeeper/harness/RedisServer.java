package io.ticketkeeper.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (the Debian package) on an ephemeral loopback port, without persistence, for tests and
 * benchmarks. Start it with {@link #start()}, stop it with {@link #close()} (or kill it mid-test with
 * {@link #kill()}).
 */
public final class RedisServer implements AutoCloseable {
    private static final String EXECUTABLE = System.getProperty("ticketkeeper.redis-server", "/usr/bin/redis-server");
    private static final long START_TIMEOUT_MS = 20_000;

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts redis-server on a free loopback port and returns once it answers PING. */
    public static RedisServer start() throws IOException, InterruptedException {
        return start(freePort());
    }

    /**
     * Stops this server and starts a new, empty one on the same port, as a restart of a Redis without persistence
     * does; clients reconnect to the returned one.
     */
    public RedisServer restart() throws IOException, InterruptedException {
        close();
        return start(port);
    }

    private static RedisServer start(int port) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(EXECUTABLE))) {
            throw new IllegalStateException(EXECUTABLE + " is missing: install the Debian package redis-server");
        }
        Path log = Files.createTempFile("ticketkeeper-redis-", ".log");
        Process process = new ProcessBuilder(EXECUTABLE, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RedisServer server = new RedisServer(process, port);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!server.answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("redis-server on port " + port + " did not start: "
                        + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** The URI Lettuce connects to. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
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

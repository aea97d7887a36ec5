package io.ticketkeeper.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ticketkeeper serve} as its own process (this JVM's java and class path), with its output in a file; it
 * listens on a free port ({@code --port 0}) and is stopped by SIGTERM.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final Path log;
    private final int port;

    private ServeProcess(Process process, Path log) throws IOException, InterruptedException {
        this.process = process;
        this.log = log;
        this.port = awaitPort();
    }

    /** Starts {@code serve --port 0} with {@code flags}, its output going to {@code log}. */
    static ServeProcess start(Path log, String... flags) throws IOException, InterruptedException {
        return start(log, List.of(), flags);
    }

    /** As {@link #start(Path, String...)}, with options for serve's JVM (a fixed heap, say). */
    static ServeProcess start(Path log, List<String> jvmOptions, String... flags)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TicketKeeperCommand.class.getName(),
                "serve", "--port", "0"));
        command.addAll(List.of(flags));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            return new ServeProcess(process, log);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** The process id, for reading its memory and open files under /proc. */
    long pid() {
        return process.pid();
    }

    /** What serve printed so far. */
    String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then what serve printed, its counters last. */
    String stop() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("serve did not stop on SIGTERM: " + output());
        }
        return output();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private int awaitPort() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher matcher = LISTENING.matcher(output());
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            if (!process.isAlive()) {
                throw new AssertionError("serve exited: " + output());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve did not start listening: " + output());
    }
}

package io.ticketkeeper.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** redis-cli (the Debian package redis-tools) against a loopback port: what fixtures ask servers and sentinels. */
final class RedisCli {
    private static final String EXECUTABLE = System.getProperty("ticketkeeper.redis-cli", "/usr/bin/redis-cli");

    private RedisCli() {
    }

    /** The output of {@code redis-cli -h 127.0.0.1 -p port args…}; throws when it does not finish in 60 s. */
    static String run(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(EXECUTABLE, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return exec(command);
    }

    static String exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8).trim();
    }

    /** The value of {@code field} in an INFO-style answer ({@code field:value} lines), or null. */
    static String field(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return null;
    }

    /** Waits up to {@code millis} for {@code condition}; throws with {@code what} when it never holds. */
    static void await(long millis, String what, Check condition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + millis + " ms waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    interface Check {
        boolean holds() throws IOException, InterruptedException;
    }
}

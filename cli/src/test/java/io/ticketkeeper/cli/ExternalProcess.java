package io.ticketkeeper.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real peer (openssl, gnutls-cli) to completion, feeding it standard input and keeping what it printed. */
final class ExternalProcess {
    private ExternalProcess() {
    }

    record Result(int exitCode, String output) {
    }

    /**
     * Runs {@code command} with {@code input} as its whole standard input (closed after it). Peers that must keep
     * reading after that are told so by their own flags (s_client -ign_eof).
     */
    static Result run(List<String> command, String input, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "external-process-output");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the peer exited before reading its input
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish in " + timeout + ": " + output);
        }
        reader.join(timeout.toMillis());
        return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Whether an executable is installed, so a test can say which package is missing rather than fail oddly. */
    static boolean installed(String path) {
        return Files.isExecutable(Path.of(path));
    }
}

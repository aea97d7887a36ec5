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

    /** Runs {@code command}; {@code input} is written after {@code inputDelay}, then standard input is closed. */
    static Result run(List<String> command, String input, Duration inputDelay, Duration timeout)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> copy(process.getInputStream(), output));
        try (OutputStream stdin = process.getOutputStream()) {
            Thread.sleep(inputDelay.toMillis());
            stdin.write(input.getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            // keep standard input open until the peer has read the answer, then let it go
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            // the peer exited before reading all of its input
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

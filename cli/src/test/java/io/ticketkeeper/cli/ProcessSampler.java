package io.ticketkeeper.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads a process's resident memory and open file descriptors from /proc once a second, on its own thread. */
final class ProcessSampler implements AutoCloseable {
    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB$");

    /** One reading, {@code seconds} after the sampler started. */
    record Sample(double seconds, long rssKib, int fds) {
    }

    private final long pid;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    ProcessSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::run, "sampler-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stopped) {
            try {
                Sample sample = sample();
                synchronized (samples) {
                    samples.add(sample);
                }
                Thread.sleep(1000);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    /** A reading now. */
    Sample sample() throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        Matcher rss = RSS.matcher(Files.readString(proc.resolve("status")));
        if (!rss.find()) {
            throw new IOException("no VmRSS for process " + pid);
        }
        int fds;
        try (Stream<Path> open = Files.list(proc.resolve("fd"))) {
            fds = (int) open.count();
        }
        return new Sample((System.nanoTime() - startNanos) / 1e9, Long.parseLong(rss.group(1)), fds);
    }

    /** The readings between {@code from} and {@code to} seconds. */
    List<Sample> between(double from, double to) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.seconds() >= from && s.seconds() <= to).toList();
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}

package io.ticketkeeper.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The load behind {@code ticketkeeper load}: {@code connections} workers, each a {@link Probe} that reconnects
 * again and again, offering its newest session by the share asked for, until the duration has passed or the count
 * is reached. Every connection is a whole one (connect, handshake, one request and its answer, close_notify), as a
 * browser's short visit is; its duration is the latency reported. A worker whose first connection fails starts
 * over; a {@link Pacer} keeps all of them together under the rate.
 */
final class LoadRun {
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LoadSettings settings;
    private final LoadStats stats = new LoadStats();
    private final Pacer pacer;
    private final AtomicLong started = new AtomicLong();
    private volatile long endNanos;
    private volatile boolean stopping;

    LoadRun(LoadSettings settings) {
        this.settings = settings;
        this.pacer = new Pacer(settings.maxRate());
    }

    /** The stop signal inside a worker: the run is over. */
    private static final class Over extends InterruptedException {
        private static final long serialVersionUID = 1L;

        Over() {
            super("the load is over");
        }
    }

    /**
     * Runs to the end and returns the report; {@code progress} hears the counters about once a second, on this
     * thread.
     */
    LoadReport run(Consumer<LoadReport> progress) throws InterruptedException {
        long startNanos = System.nanoTime();
        endNanos = settings.duration() == null ? Long.MAX_VALUE : startNanos + settings.duration().toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            int firstTarget = i;
            Thread worker = new Thread(() -> work(firstTarget), "load-" + (i + 1));
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        try {
            for (Thread worker : workers) {
                while (worker.isAlive()) {
                    worker.join(TimeUnit.NANOSECONDS.toMillis(PROGRESS_NANOS));
                    if (worker.isAlive()) {
                        progress.accept(report(startNanos));
                    }
                }
            }
        } finally {
            stopping = true;
            for (Thread worker : workers) {
                worker.interrupt();
            }
        }
        return report(startNanos);
    }

    /** Asks the workers to finish the connection they are in and stop. */
    void stop() {
        stopping = true;
    }

    LoadStats stats() {
        return stats;
    }

    private LoadReport report(long startNanos) {
        return new LoadReport(settings, stats, System.nanoTime() - startNanos);
    }

    private void work(int firstTarget) {
        long[] connectionStart = new long[1];
        Probe.Pause pause = (number, delay) -> admit(connectionStart);
        Consumer<ProbeConnection> listener = connection -> stats.record(connection,
                System.nanoTime() - connectionStart[0]);
        ProbeSettings probe = settings.probeSettings();
        while (true) {
            try {
                admit(connectionStart);
                new Probe(probe, settings.targets(), firstTarget, pause, listener).run();
                return;
            } catch (IOException e) {
                stats.recordFailure(e.getMessage(), System.nanoTime() - connectionStart[0],
                        firstTarget % settings.targets().size());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Lets the next connection start, at its time, unless the run is over; notes when it started. */
    private void admit(long[] connectionStart) throws InterruptedException {
        if (over()) {
            throw new Over();
        }
        pacer.await();
        if (over() || settings.count() > 0 && started.incrementAndGet() > settings.count()) {
            throw new Over();
        }
        connectionStart[0] = System.nanoTime();
    }

    private boolean over() {
        return stopping || System.nanoTime() >= endNanos;
    }
}

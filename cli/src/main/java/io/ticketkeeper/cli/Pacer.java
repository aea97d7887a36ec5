package io.ticketkeeper.cli;

import java.util.concurrent.TimeUnit;

/** Spaces events evenly at no more than a rate shared by all threads: each takes the next free slot. */
final class Pacer {
    private final long intervalNanos;
    private long next;

    /** {@code perSecond} 0 paces nothing. */
    Pacer(int perSecond) {
        this.intervalNanos = perSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    /** Waits for this thread's slot. */
    void await() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long slot;
        synchronized (this) {
            slot = Math.max(next, System.nanoTime());
            next = slot + intervalNanos;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}

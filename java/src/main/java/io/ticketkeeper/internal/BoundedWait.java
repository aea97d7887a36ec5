package io.ticketkeeper.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/** Waits for a store's call on a handshake thread, never longer than a timeout and never by throwing. */
public final class BoundedWait {
    private BoundedWait() {
    }

    /**
     * The result of {@code future} within {@code timeoutNanos}, or null: a late call is cancelled and counted in
     * {@code timeouts}; a failed or interrupted one is counted in {@code failures} (the interrupt is kept).
     */
    public static <T> T await(Future<T> future, long timeoutNanos, LongAdder timeouts, LongAdder failures) {
        try {
            return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            timeouts.increment();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.increment();
            return null;
        } catch (ExecutionException | RuntimeException e) {
            failures.increment();
            return null;
        }
    }
}

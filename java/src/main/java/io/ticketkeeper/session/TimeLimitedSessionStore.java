package io.ticketkeeper.session;

import io.ticketkeeper.internal.Durations;
import io.ticketkeeper.internal.BoundedWait;

import java.util.Optional;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the time any call of another store may cost a handshake: each call runs on a small pool of its own
 * threads, and a call that has not answered within the timeout is abandoned and answered as a miss (or a skipped
 * store), counted. For stores without a timeout of their own; the Redis store has one and needs no wrapper.
 * A full pool also answers at once as a miss, so a store that hangs for good cannot pile up handshake threads.
 */
public final class TimeLimitedSessionStore implements SessionStore, AutoCloseable {
    private final SessionStore delegate;
    private final long timeoutNanos;
    private final ThreadPoolExecutor pool;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder failures = new LongAdder();

    private TimeLimitedSessionStore(SessionStore delegate, Duration timeout, int threads, int queue) {
        this.delegate = delegate;
        this.timeoutNanos = timeout.toNanos();
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                task -> {
                    Thread thread = new Thread(task, "ticketkeeper-store-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * {@code delegate} with every call bounded by {@code timeout}, on {@code threads} threads with room for
     * {@code queue} waiting calls.
     */
    public static TimeLimitedSessionStore of(SessionStore delegate, Duration timeout, int threads, int queue) {
        Objects.requireNonNull(delegate, "delegate");
        Durations.positive("timeout", timeout);
        if (threads < 1 || queue < 1) {
            throw new IllegalArgumentException("threads and queue must be at least 1, not " + threads + " and "
                    + queue);
        }
        return new TimeLimitedSessionStore(delegate, timeout, threads, queue);
    }

    /** {@code delegate} bounded by {@code timeout}, on 4 threads with room for 1,024 waiting calls. */
    public static TimeLimitedSessionStore of(SessionStore delegate, Duration timeout) {
        return of(delegate, timeout, 4, 1024);
    }

    /** The delegate gets a copy of its own, wiped when it returns: a late put may outlive this call's array. */
    @Override
    public void put(SessionId id, byte[] session, Duration ttl) {
        byte[] copy = session.clone();
        call(() -> {
            try {
                delegate.put(id, copy, ttl);
            } finally {
                Arrays.fill(copy, (byte) 0);
            }
            return Boolean.TRUE;
        });
    }

    @Override
    public Optional<byte[]> get(SessionId id) {
        return counted(call(() -> delegate.get(id)));
    }

    @Override
    public Optional<byte[]> take(SessionId id) {
        return counted(call(() -> delegate.take(id)));
    }

    @Override
    public boolean atomicTake() {
        return delegate.atomicTake();
    }

    @Override
    public void remove(SessionId id) {
        call(() -> {
            delegate.remove(id);
            return Boolean.TRUE;
        });
    }

    /** A late or failed call ({@code null} from the bounded wait) is a miss. */
    private Optional<byte[]> counted(Optional<byte[]> session) {
        Optional<byte[]> answer = session == null ? Optional.empty() : session;
        (answer.isEmpty() ? misses : hits).increment();
        return answer;
    }

    private <T> T call(Callable<T> task) {
        Future<T> future;
        try {
            future = pool.submit(task);
        } catch (RejectedExecutionException e) {
            failures.increment();
            return null;
        }
        return BoundedWait.await(future, timeoutNanos, timeouts, failures);
    }

    /** Hits and misses as this wrapper saw them, with its timeouts and failures (thrown, or the pool full). */
    public SessionStoreStats stats() {
        return new SessionStoreStats(hits.sum(), misses.sum(), 0, 0, 0, timeouts.sum(), failures.sum(), 0);
    }

    /** Stops the pool's threads; calls in flight are interrupted. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    @Override
    public String toString() {
        return "TimeLimitedSessionStore{" + delegate + ", timeout=" + Duration.ofNanos(timeoutNanos) + "}";
    }
}

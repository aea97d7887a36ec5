package io.ticketkeeper.bench.paired;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * The measuring threads: each runs its own client of the contestant in turn for the length of a batch, all
 * starting together. Thread {@code i} always drives client {@code i} of each contestant, so every thread-local cost
 * (OpenSSL's, the JVM's, TicketKeeper's) is warm for every contestant alike. CPU time and heap allocation are each
 * thread's own, read by the thread itself before and after.
 */
final class Workers implements AutoCloseable {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What one thread did in one batch. */
    private record Share(long handshakes, long startNanos, long endNanos, long cpuNanos, long allocatedBytes) {
    }

    private final List<Thread> threads = new ArrayList<>();
    private final CyclicBarrier start;
    private final CyclicBarrier end;
    private final Share[] shares;
    private volatile List<Contestant.Handshaker> job;
    private volatile long batchNanos;
    private volatile boolean stopping;
    private volatile Throwable failure;

    Workers(int count) {
        start = new CyclicBarrier(count + 1);
        end = new CyclicBarrier(count + 1);
        shares = new Share[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread thread = new Thread(() -> loop(index), "paired-" + (i + 1));
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    int count() {
        return threads.size();
    }

    /** Runs one batch of {@code handshakers} (one per thread) for {@code nanos} and returns it. */
    Batch run(int round, String contestant, List<Contestant.Handshaker> handshakers, long nanos) {
        job = handshakers;
        batchNanos = nanos;
        await(start);
        await(end);
        if (failure != null) {
            throw new IllegalStateException(contestant + " failed in round " + round + ": " + failure, failure);
        }
        long handshakes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long cpu = 0;
        long allocated = 0;
        for (Share share : shares) {
            handshakes += share.handshakes();
            first = Math.min(first, share.startNanos());
            last = Math.max(last, share.endNanos());
            cpu += share.cpuNanos();
            allocated += share.allocatedBytes();
        }
        return new Batch(round, contestant, handshakes, last - first, cpu, allocated);
    }

    private void loop(int index) {
        while (true) {
            await(start);
            if (stopping) {
                return;
            }
            try {
                shares[index] = measure(job.get(index), batchNanos);
            } catch (Throwable t) {
                failure = t;
                shares[index] = new Share(0, 0, 0, 0, 0);
            }
            await(end);
        }
    }

    private static Share measure(Contestant.Handshaker handshaker, long nanos) {
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        long startNanos = System.nanoTime();
        long deadline = startNanos + nanos;
        long handshakes = 0;
        long now;
        do {
            handshaker.handshake();
            handshakes++;
            now = System.nanoTime();
        } while (now < deadline);
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        return new Share(handshakes, startNanos, now, cpu, allocated);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("a measuring thread died", e);
        }
    }

    @Override
    public void close() {
        stopping = true;
        await(start);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package io.ticketkeeper.bench.paired;

/**
 * One contestant's batch: its handshakes on every measuring thread, from the first thread's start to the last
 * thread's end.
 *
 * @param round the round it belongs to (each round runs every contestant of a case once)
 * @param handshakes handshakes completed, on all threads
 * @param wallNanos elapsed time, first start to last end
 * @param cpuNanos CPU time of the measuring threads (user and system), summed
 * @param allocatedBytes Java heap the measuring threads allocated, summed
 */
record Batch(int round, String contestant, long handshakes, long wallNanos, long cpuNanos, long allocatedBytes) {

    double handshakesPerSecond() {
        return handshakes * 1e9 / wallNanos;
    }

    double cpuNanosPerHandshake() {
        return (double) cpuNanos / handshakes;
    }
}

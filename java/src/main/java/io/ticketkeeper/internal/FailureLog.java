package io.ticketkeeper.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * Counts a failure that may repeat on every handshake (a broken policy, a store that is down) and logs the 1st,
 * 2nd, 4th, 8th... occurrence, so that the log shows it at once and then ever more rarely instead of flooding.
 * Never throws: it runs inside upcalls, where an exception would end the JVM.
 */
public final class FailureLog {
    private static final Logger LOG = System.getLogger("io.ticketkeeper");

    private final Level level;
    private final LongAdder count = new LongAdder();

    public FailureLog(Level level) {
        this.level = level;
    }

    /** Counts one failure; logs {@code message} (given the count) with {@code cause} when its turn has come. */
    public void record(Throwable cause, LongFunction<String> message) {
        try {
            count.increment();
            long now = count.sum();
            if (Long.bitCount(now) == 1) {
                LOG.log(level, message.apply(now), cause);
            }
        } catch (Throwable ignored) {
            // Logging must not be the thing that takes the JVM down.
        }
    }

    public long count() {
        return count.sum();
    }
}

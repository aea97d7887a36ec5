package io.ticketkeeper.jna;

import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.KeyReader;
import io.ticketkeeper.internal.NativeLibrary;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.SessionCacheUpcalls;
import io.ticketkeeper.internal.SessionNatives;
import io.ticketkeeper.internal.ShimLayout;
import io.ticketkeeper.internal.ShimResults;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.internal.TicketUpcalls;
import io.ticketkeeper.internal.UpcallStubs;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.util.function.LongConsumer;

/**
 * The JNA backend, for Java 17 to 22: downcalls into the shim by direct mapping ({@link JnaShim}); the ticket
 * upcall body ({@link TicketUpcalls}, the one the FFM backend uses) over {@link JnaMemory}, reached through the
 * shim's JNI bridge ({@link JniUpcalls}) where it has one, else through JNA callbacks ({@link JnaCallbacks}); session
 * cache upcalls as JNA callbacks ({@link JnaSessionCache}).
 */
public final class JnaBackend implements Backend {
    /** The ticket upcalls take the shim's JNI bridge ({@link JniUpcalls}) rather than JNA's callbacks. */
    private final boolean jniUpcalls;

    public JnaBackend() {
        NativeLibrary.ensureLoaded(ShimLayout.API_VERSION, JnaVersion::tk_api_version);
        jniUpcalls = JniUpcalls.chosen();
    }

    @Override
    public String name() {
        return "jna";
    }

    @Override
    public String upcalls() {
        return jniUpcalls ? JniUpcalls.JNI : JniUpcalls.JNA;
    }

    @Override
    public Installation install(TicketDecider decider, SessionCacheBridge sessionCache, KeyReader keys) {
        TicketUpcalls upcalls = new TicketUpcalls(decider, JnaMemory.INSTANCE);
        JnaSessionCache cache = sessionCache == null ? null : new JnaSessionCache(
                new SessionCacheUpcalls(sessionCache, JnaMemory.INSTANCE));
        Memory cacheTable = cache == null ? null : cache.table();
        long cacheAddress = cacheTable == null ? 0 : Pointer.nativeValue(cacheTable);
        long[] handle = new long[1];
        if (!jniUpcalls) {
            JnaCallbacks callbacks = new JnaCallbacks(upcalls);
            Memory table = callbacks.table();
            check(JnaShim.tk_handle_new(Pointer.nativeValue(table), cacheAddress, handle), "make a TicketKeeper handle");
            return new JnaInstallation(handle[0], keys, () -> { }, callbacks, table, cache, cacheTable);
        }
        JniUpcalls.Table table = new JniUpcalls.Table(upcalls);
        try {
            check(JnaShim.tk_handle_new(table.address(), cacheAddress, handle), "make a TicketKeeper handle");
        } catch (RuntimeException e) {
            table.close();
            throw e;
        }
        return new JnaInstallation(handle[0], keys, table::close, table, cache, cacheTable);
    }

    @Override
    public SessionNatives sessionNatives() {
        return new JnaSessionNatives();
    }

    /** The path {@link #install} takes: the JNI bridge's functions with a handle's user pointer, or JNA's callbacks. */
    @Override
    public UpcallStubs upcallStubs(TicketDecider decider) {
        TicketUpcalls upcalls = new TicketUpcalls(decider, JnaMemory.INSTANCE);
        if (jniUpcalls) {
            JniUpcalls.Table table = new JniUpcalls.Table(upcalls);
            return new TableStubs(table.memory, table, table::close);
        }
        JnaCallbacks callbacks = new JnaCallbacks(upcalls);
        // JNA frees the callbacks' trampolines once the stubs object, which holds them, is collected.
        return new TableStubs(callbacks.table(), callbacks, () -> { });
    }

    /** Stubs read from a {@code tk_upcalls} the backend made. */
    private static final class TableStubs implements UpcallStubs {
        private final Memory table;
        /** What the table's functions need alive (JNA holds callbacks only weakly). */
        @SuppressWarnings("unused")
        private final Object keptAlive;
        private final Runnable closed;

        TableStubs(Memory table, Object keptAlive, Runnable closed) {
            this.table = table;
            this.keptAlive = keptAlive;
            this.closed = closed;
        }

        @Override
        public long user() {
            return table.getLong(ShimLayout.UPCALLS_USER);
        }

        @Override
        public long seal() {
            return table.getLong(ShimLayout.UPCALLS_SEAL);
        }

        @Override
        public long open() {
            return table.getLong(ShimLayout.UPCALLS_OPEN);
        }

        @Override
        public long stamp() {
            return table.getLong(ShimLayout.UPCALLS_STAMP);
        }

        @Override
        public long session() {
            return table.getLong(ShimLayout.UPCALLS_SESSION);
        }

        @Override
        public void close() {
            closed.run();
        }
    }

    /** Throws the exception {@link ShimResults} gives a failed shim call. */
    static void check(int result, String what) {
        ShimResults.check(result, what, JnaShim::tk_result_string);
    }

    /** Runs {@code call} with the address of a native copy of {@code secret}, wiped before it is freed. */
    static void withSecret(byte[] secret, LongConsumer call) {
        try (Memory copy = new Memory(Math.max(1, secret.length))) {
            try {
                copy.write(0, secret, 0, secret.length);
                call.accept(Pointer.nativeValue(copy));
            } finally {
                copy.clear();
            }
        }
    }
}

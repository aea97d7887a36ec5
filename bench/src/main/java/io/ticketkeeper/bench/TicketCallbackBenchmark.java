package io.ticketkeeper.bench;

import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_open_fn;
import io.ticketkeeper.ffm.shim.tk_seal_fn;
import io.ticketkeeper.ffm.shim.tk_session_fn;
import io.ticketkeeper.ffm.shim.tk_session_view;
import io.ticketkeeper.ffm.shim.tk_stamp_fn;
import io.ticketkeeper.ffm.shim.tk_ticket_stamp;
import io.ticketkeeper.internal.Backends;
import io.ticketkeeper.internal.TicketCounters;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.internal.UpcallStubs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Clock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One ticket callback's Java part, in nanoseconds: a downcall into the very upcall stub the shim calls (made as
 * the FFM backend makes it), the transition into Java, the default policy's decision and the counters. {@code
 * emptyUpcall} is the same round trip into a method that decides nothing, so {@code seal - emptyUpcall} is the
 * decision alone; {@code downcallOnly} is the downcall half, which a handshake does not pay (OpenSSL calls the
 * stub), so {@code seal - downcallOnly} is what a handshake pays per callback in Java. The stubs come from the
 * backend itself ({@code Backend.upcallStubs}), called through their addresses as the shim calls them.
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the Java heap allocated per callback.
 */
public class TicketCallbackBenchmark extends NanosecondBenchmark {
    /** The host the benchmark's context seals for, and its tickets are stamped with. */
    private static final long HOST_ID = 0x7417c0de;
    private static final MethodHandle ABS = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("abs"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** {@link #nothing}, the baseline upcall's target. */
    private static final MethodHandle NOTHING;

    static {
        try {
            NOTHING = MethodHandles.lookup().findStatic(TicketCallbackBenchmark.class, "nothing",
                    MethodType.methodType(int.class, long.class, long.class, long.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Keys in the published snapshot: the decision indexes a slot, so the count must not matter. */
    @Param({"10", "10000"})
    public int keys;

    private SelfSignedCertificate certificate;
    private ServerContext server;
    private TicketKeeperHandle handle;
    private UpcallStubs stubs;
    /** The user pointer the shim would pass: the backend's (NULL for FFM's stubs, a JNI reference for the bridge). */
    private MemorySegment user;
    private MemorySegment seal;
    private MemorySegment open;
    private MemorySegment stampStub;
    private MemorySegment session;
    private MemorySegment empty;
    private Arena arena;
    private MemorySegment stamp;
    /** The stamp upcall's out_max_early_data (0: early data off, as in this benchmark). */
    private MemorySegment maxEarlyData;
    private MemorySegment slot;
    private MemorySegment lifetime;
    private MemorySegment view;
    private long generation;
    private int lastSlot;

    @Setup(Level.Trial)
    public void setUp() {
        certificate = SelfSignedCertificate.create("bench");
        server = ServerContext.builder(TlsVersion.TLS1_2, certificate).build();
        handle = ServerTickets.install(server, ServerTickets.TICKETKEEPER, keys);
        generation = handle.keys().generation();
        lastSlot = keys - 1;
        Clock clock = Clock.systemUTC();
        TicketDecider decider = new TicketDecider(TicketPolicy.defaults(), clock, handle.keys());
        // Context 0, as every upcall below names it: counting per context is part of each upcall's cost.
        decider.addContext(new TicketDecider.Context(HOST_ID, new TicketCounters(), "bench"));
        stubs = Backends.get().upcallStubs(decider);
        user = MemorySegment.ofAddress(stubs.user());
        seal = MemorySegment.ofAddress(stubs.seal());
        open = MemorySegment.ofAddress(stubs.open());
        stampStub = MemorySegment.ofAddress(stubs.stamp());
        session = MemorySegment.ofAddress(stubs.session());
        arena = Arena.ofShared();
        // The user pointer as a 64-bit integer, as the backends' stubs take it, so the baseline pays what they do.
        empty = Linker.nativeLinker().upcallStub(NOTHING, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), arena);
        stamp = tk_ticket_stamp.allocate(arena);
        maxEarlyData = arena.allocate(ValueLayout.JAVA_INT);
        slot = arena.allocate(ValueLayout.JAVA_INT);
        lifetime = arena.allocate(ValueLayout.JAVA_LONG);
        view = decryptedTls12View(arena, generation, clock.millis());
    }

    /** The baseline: an open-shaped upcall (scalars only) that decides nothing, so only the transitions remain. */
    private static int nothing(long user, long contextId, long generation, int slot) {
        return 0;
    }


    /** What the shim passes for a TLS 1.2 ticket it opened with the first key, stamped a second ago. */
    private static MemorySegment decryptedTls12View(Arena arena, long generation, long now) {
        MemorySegment view = tk_session_view.allocate(arena);
        tk_session_view.status(view, TicketKeeperShim.TK_TICKET_OPENED());
        tk_session_view.protocol_version(view, TlsVersion.TLS1_2.code());
        tk_session_view.has_stamp(view, 1);
        tk_session_view.session_time_s(view, now / 1000 - 1);
        tk_session_view.key_generation(view, generation);
        tk_session_view.key_slot(view, 0);
        MemorySegment stamp = tk_session_view.stamp(view);
        tk_ticket_stamp.issued_at_ms(stamp, now - 1000);
        tk_ticket_stamp.key_generation(stamp, generation);
        tk_ticket_stamp.host_id(stamp, HOST_ID);
        return view;
    }

    /** A downcall to libc's abs: the downcall half of the round trips below, which a handshake does not pay. */
    @Benchmark
    public int downcallOnly() {
        try {
            return (int) ABS.invokeExact(keys);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The downcall and an upcall into a method that decides nothing: the transitions alone. */
    @Benchmark
    public int emptyUpcall() {
        return tk_open_fn.invoke(empty, MemorySegment.NULL, 0, generation, 0);
    }

    /** The ticket key callback with enc = 1: which key seals the new ticket. */
    @Benchmark
    public int seal() {
        return tk_seal_fn.invoke(seal, user, 0, generation, slot, lifetime);
    }

    /** The ticket key callback with enc = 0, for a ticket under the last published key (renewed). */
    @Benchmark
    public int open() {
        return tk_open_fn.invoke(open, user, 0, generation, lastSlot);
    }

    /** The session ticket callback that stamps a new ticket. */
    @Benchmark
    public int stamp() {
        return tk_stamp_fn.invoke(stampStub, user, 0, stamp, maxEarlyData);
    }

    /** The session ticket callback on an opened ticket: the session-level decision. */
    @Benchmark
    public int session() {
        return tk_session_fn.invoke(session, user, view);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stubs.close();
        arena.close();
        handle.close();
        server.close();
        certificate.close();
    }
}

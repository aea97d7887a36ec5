package io.ticketkeeper.bench;

import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.ffm.UpcallStubs;
import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_session_view;
import io.ticketkeeper.ffm.shim.tk_ticket_stamp;
import io.ticketkeeper.harness.ServerContext;
import io.ticketkeeper.harness.TestCertificate;
import io.ticketkeeper.harness.TlsVersion;
import io.ticketkeeper.internal.TicketDecider;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Clock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One ticket callback's Java part, in nanoseconds: a downcall into the very upcall stub the shim calls (made as
 * the FFM backend makes it), the transition into Java, the default policy's decision and the counters. {@code
 * emptyUpcall} is the same round trip into a method that decides nothing, so {@code encrypt - emptyUpcall} is the
 * decision alone; {@code downcallOnly} is the downcall half, which a handshake does not pay (OpenSSL calls the
 * stub), so {@code encrypt - downcallOnly} is what a handshake pays per callback in Java.
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the Java heap allocated per callback.
 */
public class TicketCallbackBenchmark extends NanosecondBenchmark {
    private static final MethodHandle ABS = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("abs"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** Keys in the published snapshot: the decision indexes a slot, so the count must not matter. */
    @Param({"10", "10000"})
    public int keys;

    private TestCertificate certificate;
    private ServerContext server;
    private TicketKeeperHandle handle;
    private UpcallStubs stubs;
    private Arena arena;
    private MemorySegment stamp;
    private MemorySegment lifetime;
    private MemorySegment view;
    private long generation;
    private int lastSlot;

    @Setup(Level.Trial)
    public void setUp() {
        certificate = TestCertificate.create("bench");
        server = ServerContext.builder(TlsVersion.TLS1_2, certificate).build();
        handle = ServerTickets.install(server, ServerTickets.TICKETKEEPER, keys);
        generation = handle.keys().generation();
        lastSlot = keys - 1;
        Clock clock = Clock.systemUTC();
        stubs = new UpcallStubs(new TicketDecider(TicketPolicy.defaults(), clock, handle.keys()));
        arena = Arena.ofConfined();
        stamp = tk_ticket_stamp.allocate(arena);
        lifetime = arena.allocate(ValueLayout.JAVA_LONG);
        view = decryptedTls12View(arena, generation, clock.millis());
    }

    /** What the shim passes for a TLS 1.2 ticket it decrypted with the first key, stamped a second ago. */
    private static MemorySegment decryptedTls12View(Arena arena, long generation, long now) {
        MemorySegment view = tk_session_view.allocate(arena);
        tk_session_view.status(view, TicketKeeperShim.TK_TICKET_SUCCESS());
        tk_session_view.protocol_version(view, TlsVersion.TLS1_2.code());
        tk_session_view.has_stamp(view, 1);
        tk_session_view.session_time_s(view, now / 1000 - 1);
        tk_session_view.key_generation(view, generation);
        tk_session_view.key_slot(view, 0);
        MemorySegment stamp = tk_session_view.stamp(view);
        tk_ticket_stamp.issued_at_ms(stamp, now - 1000);
        tk_ticket_stamp.key_generation(stamp, generation);
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
        return stubs.empty(generation);
    }

    /** The ticket key callback with enc = 1: which key seals the new ticket. */
    @Benchmark
    public int encrypt() {
        return stubs.encrypt(generation, lifetime);
    }

    /** The ticket key callback with enc = 0, for a ticket under the last published key (renewed). */
    @Benchmark
    public int decrypt() {
        return stubs.decrypt(generation, lastSlot);
    }

    /** The session ticket callback that stamps a new ticket. */
    @Benchmark
    public int generate() {
        return stubs.generate(stamp);
    }

    /** The session ticket callback on a decrypted ticket: the session-level decision. */
    @Benchmark
    public int session() {
        return stubs.session(view);
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

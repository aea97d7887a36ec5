package io.ticketkeeper.ffm;

import io.ticketkeeper.ffm.shim.tk_upcalls;
import io.ticketkeeper.internal.TicketUpcalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The FFM wiring of the upcall body ({@link TicketUpcalls}): one upcall stub per upcall, bound to one handle's body.
 * The stub drops the user pointer (the body it is bound to is the handle's state), so the shim's tk_upcalls.user is
 * NULL on this path.
 */
final class FfmUpcalls {
    /**
     * Pointers (the user pointer, seal's out_slot and out_lifetime_s, stamp's out_stamp and out_max_early_data, session's view) travel as
     * 64-bit integers, not as jextract's ADDRESS: for an ADDRESS parameter the stub makes a MemorySegment per call,
     * and escape analysis removed it only sometimes (JMH -prof gc: 40 B per session upcall in most forks). A pointer
     * and a 64-bit integer travel in the same register in every 64-bit C calling convention the FFM linker supports.
     */
    private static final ValueLayout POINTER = ValueLayout.JAVA_LONG;
    private static final FunctionDescriptor SEAL_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, POINTER, POINTER);
    private static final FunctionDescriptor OPEN_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    private static final FunctionDescriptor STAMP_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            ValueLayout.JAVA_LONG, POINTER, POINTER);
    private static final FunctionDescriptor SESSION_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            POINTER);
    private static final MethodHandle SEAL = target("seal", long.class, long.class, long.class, long.class);
    private static final MethodHandle OPEN = target("open", long.class, long.class, int.class);
    private static final MethodHandle STAMP = target("stamp", long.class, long.class, long.class);
    private static final MethodHandle SESSION = target("session", long.class);
    private static final MethodHandle EARLY_DATA = target("earlyData", long.class);

    private final TicketUpcalls upcalls;

    FfmUpcalls(TicketUpcalls upcalls) {
        this.upcalls = upcalls;
    }

    private static MethodHandle target(String name, Class<?>... parameters) {
        try {
            return MethodHandles.lookup().findVirtual(TicketUpcalls.class, name,
                    MethodType.methodType(int.class, parameters));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A {@code tk_upcalls} in {@code arena} whose stubs call the body; they live as long as the arena. */
    MemorySegment upcallTable(Arena arena) {
        MemorySegment table = tk_upcalls.allocate(arena);
        tk_upcalls.user(table, MemorySegment.NULL);
        tk_upcalls.seal(table, sealStub(arena));
        tk_upcalls.open(table, openStub(arena));
        tk_upcalls.stamp(table, stampStub(arena));
        tk_upcalls.session(table, sessionStub(arena));
        // Only a handle with early data on gets its stub; without it the shim refuses tk_early_data_attach.
        tk_upcalls.early_data(table, upcalls.earlyDataOn() ? stub(EARLY_DATA, SESSION_UPCALL, arena)
                : MemorySegment.NULL);
        return table;
    }

    MemorySegment sealStub(Arena arena) {
        return stub(SEAL, SEAL_UPCALL, arena);
    }

    MemorySegment openStub(Arena arena) {
        return stub(OPEN, OPEN_UPCALL, arena);
    }

    MemorySegment stampStub(Arena arena) {
        return stub(STAMP, STAMP_UPCALL, arena);
    }

    MemorySegment sessionStub(Arena arena) {
        return stub(SESSION, SESSION_UPCALL, arena);
    }

    /** The body's method bound to it (a constant receiver for the JIT), with the user pointer dropped in front. */
    private MemorySegment stub(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        MethodHandle bound = MethodHandles.dropArguments(target.bindTo(upcalls), 0, long.class);
        return Linker.nativeLinker().upcallStub(bound, descriptor, arena);
    }
}

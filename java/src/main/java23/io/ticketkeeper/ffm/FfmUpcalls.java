package io.ticketkeeper.ffm;

import static io.ticketkeeper.ffm.FfmStubs.POINTER;

import io.ticketkeeper.ffm.shim.tk_upcalls;
import io.ticketkeeper.internal.TicketUpcalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The FFM wiring of the upcall body ({@link TicketUpcalls}): one upcall stub per upcall, bound to one handle's body
 * ({@link FfmStubs}: pointers as 64-bit integers). The stub drops the user pointer (the body it is bound to is the
 * handle's state), so the shim's tk_upcalls.user is NULL on this path.
 */
final class FfmUpcalls {
    private static final FunctionDescriptor SEAL_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, POINTER, POINTER);
    private static final FunctionDescriptor OPEN_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    private static final FunctionDescriptor STAMP_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            ValueLayout.JAVA_LONG, POINTER, POINTER);
    private static final FunctionDescriptor SESSION_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            POINTER);
    private static final MethodHandle SEAL = FfmStubs.target(TicketUpcalls.class, "seal", long.class, long.class,
            long.class, long.class);
    private static final MethodHandle OPEN = FfmStubs.target(TicketUpcalls.class, "open", long.class, long.class,
            int.class);
    private static final MethodHandle STAMP = FfmStubs.target(TicketUpcalls.class, "stamp", long.class, long.class,
            long.class);
    private static final MethodHandle SESSION = FfmStubs.target(TicketUpcalls.class, "session", long.class);
    private static final MethodHandle EARLY_DATA = FfmStubs.target(TicketUpcalls.class, "earlyData", long.class);

    private final TicketUpcalls upcalls;

    FfmUpcalls(TicketUpcalls upcalls) {
        this.upcalls = upcalls;
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

    private MemorySegment stub(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        return FfmStubs.stub(target, upcalls, descriptor, arena);
    }
}

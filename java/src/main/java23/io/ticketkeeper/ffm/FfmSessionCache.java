package io.ticketkeeper.ffm;

import static io.ticketkeeper.ffm.FfmStubs.POINTER;

import io.ticketkeeper.ffm.shim.tk_cache_upcalls;
import io.ticketkeeper.internal.SessionCacheUpcalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The FFM wiring of the session cache upcall body ({@link SessionCacheUpcalls}): one upcall stub per upcall, bound
 * to one handle's body, the user pointer dropped (so the shim's tk_cache_upcalls.user is NULL on this path).
 */
final class FfmSessionCache {
    private static final FunctionDescriptor NEW_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            ValueLayout.JAVA_LONG, POINTER, ValueLayout.JAVA_INT, POINTER, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor GET_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            ValueLayout.JAVA_LONG, POINTER, ValueLayout.JAVA_INT, POINTER, ValueLayout.JAVA_INT);
    private static final FunctionDescriptor REMOVE_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, POINTER,
            ValueLayout.JAVA_LONG, POINTER, ValueLayout.JAVA_INT);
    private static final MethodHandle NEW = FfmStubs.target(SessionCacheUpcalls.class, "newSession", long.class,
            long.class, int.class, long.class, int.class, long.class);
    private static final MethodHandle GET = FfmStubs.target(SessionCacheUpcalls.class, "getSession", long.class,
            long.class, int.class, long.class, int.class);
    private static final MethodHandle REMOVE = FfmStubs.target(SessionCacheUpcalls.class, "removeSession",
            long.class, long.class, int.class);

    private FfmSessionCache() {
    }

    /** A {@code tk_cache_upcalls} in {@code arena} whose stubs call {@code upcalls}; they live as long as the arena. */
    static MemorySegment upcallTable(SessionCacheUpcalls upcalls, Arena arena) {
        MemorySegment table = tk_cache_upcalls.allocate(arena);
        tk_cache_upcalls.user(table, MemorySegment.NULL);
        tk_cache_upcalls.new_session(table, FfmStubs.stub(NEW, upcalls, NEW_UPCALL, arena));
        tk_cache_upcalls.get_session(table, FfmStubs.stub(GET, upcalls, GET_UPCALL, arena));
        tk_cache_upcalls.remove_session(table, FfmStubs.stub(REMOVE, upcalls, REMOVE_UPCALL, arena));
        return table;
    }
}

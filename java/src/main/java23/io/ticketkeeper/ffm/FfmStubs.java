package io.ticketkeeper.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Upcall stubs bound to one upcall body, the user pointer dropped (the body is the handle's state). */
final class FfmStubs {
    /**
     * Pointers travel as 64-bit integers, not as jextract's ADDRESS: for an ADDRESS parameter the stub makes a
     * MemorySegment per call, and escape analysis removed it only sometimes (JMH -prof gc: 40 B per session upcall in
     * most forks). A pointer and a 64-bit integer travel in the same register in every 64-bit C calling convention
     * the FFM linker supports.
     */
    static final ValueLayout POINTER = ValueLayout.JAVA_LONG;

    private FfmStubs() {
    }

    /** The method {@code name} of {@code body}, returning int, for {@link #stub}; for static initialisers. */
    static MethodHandle target(Class<?> body, String name, Class<?>... parameters) {
        try {
            return MethodHandles.lookup().findVirtual(body, name, MethodType.methodType(int.class, parameters));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code target} bound to {@code body} (a constant receiver for the JIT), the user pointer dropped in front. */
    static MemorySegment stub(MethodHandle target, Object body, FunctionDescriptor descriptor, Arena arena) {
        MethodHandle bound = MethodHandles.dropArguments(target.bindTo(body), 0, long.class);
        return Linker.nativeLinker().upcallStub(bound, descriptor, arena);
    }
}

package io.ticketkeeper.ffm;

import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_open_fn;
import io.ticketkeeper.ffm.shim.tk_session_view;
import io.ticketkeeper.ffm.shim.tk_ticket_stamp;
import io.ticketkeeper.ffm.shim.tk_upcalls;
import io.ticketkeeper.internal.SessionView;
import io.ticketkeeper.internal.TicketDecider;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The four upcall targets. Each catches everything: an exception that reached the upcall stub would terminate
 * the JVM. Policy failures are already answered by the decider; what is caught here is a fault of our own.
 */
final class FfmUpcalls {
    /** tk_seal_fn's answers: 1 with the slot written, 0 for no ticket (also what a dead upcall returns). */
    private static final int SEALED = 1;
    private static final int NO_TICKET = 0;
    private static final int PEER_SHA256_LENGTH = TicketKeeperShim.TK_SHA256_LEN();
    private static final int SERVER_NAME_CAPACITY = TicketKeeperShim.TK_MAX_SERVER_NAME_LEN();
    /**
     * The upcalls that get a pointer (seal's out_slot and out_lifetime_s, stamp's out_stamp, session's view) take
     * it as a 64-bit integer, not as jextract's ADDRESS: for an ADDRESS parameter the stub makes a MemorySegment
     * per call, and escape analysis removed it only sometimes (JMH -prof gc: 40 B per session upcall in most
     * forks). A pointer and a 64-bit integer travel in the same register in every 64-bit C calling convention the
     * FFM linker supports.
     */
    private static final FunctionDescriptor SEAL_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor STAMP_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor SESSION_UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG);
    private static final MethodHandle SEAL = target("seal", long.class, long.class, long.class, long.class);
    private static final MethodHandle STAMP = target("stamp", long.class, long.class);
    private static final MethodHandle SESSION = target("session", long.class);
    /**
     * All of native memory: the pointer upcalls read and write the shim's structs through it by absolute address,
     * so that no segment is made per call. The shim guarantees each struct for the duration of its call.
     */
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final TicketDecider decider;

    FfmUpcalls(TicketDecider decider) {
        this.decider = decider;
    }

    private static MethodHandle target(String name, Class<?>... parameters) {
        try {
            return MethodHandles.lookup().findVirtual(FfmUpcalls.class, name,
                    MethodType.methodType(int.class, parameters));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A {@code tk_upcalls} in {@code arena} whose four stubs call this object; they live as long as the arena. */
    MemorySegment upcallTable(Arena arena) {
        MemorySegment table = tk_upcalls.allocate(arena);
        tk_upcalls.seal(table, sealStub(arena));
        tk_upcalls.open(table, openStub(arena));
        tk_upcalls.stamp(table, stampStub(arena));
        tk_upcalls.session(table, sessionStub(arena));
        return table;
    }

    MemorySegment sealStub(Arena arena) {
        return Linker.nativeLinker().upcallStub(SEAL.bindTo(this), SEAL_UPCALL, arena);
    }

    MemorySegment openStub(Arena arena) {
        return tk_open_fn.allocate(this::open, arena);
    }

    MemorySegment stampStub(Arena arena) {
        return Linker.nativeLinker().upcallStub(STAMP.bindTo(this), STAMP_UPCALL, arena);
    }

    MemorySegment sessionStub(Arena arena) {
        return Linker.nativeLinker().upcallStub(SESSION.bindTo(this), SESSION_UPCALL, arena);
    }

    int seal(long contextId, long generation, long outSlot, long outLifetime) {
        try {
            long now = decider.nowMillis();
            int slot = decider.seal(contextId, generation, now);
            if (slot < 0) {
                return NO_TICKET;
            }
            NATIVE.set(ValueLayout.JAVA_INT, outSlot, slot);
            NATIVE.set(ValueLayout.JAVA_LONG, outLifetime, decider.lifetimeSeconds(generation, slot, now));
            return SEALED;
        } catch (Throwable t) {
            try {
                decider.upcallFailed("seal", t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
            return NO_TICKET;
        }
    }

    int open(long contextId, long generation, int slot) {
        try {
            return decider.open(contextId, generation, slot);
        } catch (Throwable t) {
            try {
                decider.upcallFailed("open", t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
            return TicketDecider.KEY_REJECT;
        }
    }

    int stamp(long contextId, long stamp) {
        try {
            return stampAt(contextId, stamp);
        } catch (Throwable t) {
            try {
                decider.stampFailed(t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
            return 0;
        }
    }

    /** 1 with the stamp written, or 0 ("no stamp": the shim sends no ticket) for a context no longer attached. */
    private int stampAt(long contextId, long stamp) {
        long hostId = decider.stampHostId(contextId);
        if (hostId == 0) {
            return 0;
        }
        NATIVE.set(tk_ticket_stamp.issued_at_ms$layout(), stamp + tk_ticket_stamp.issued_at_ms$offset(),
                decider.nowMillis());
        NATIVE.set(tk_ticket_stamp.key_generation$layout(), stamp + tk_ticket_stamp.key_generation$offset(),
                decider.currentGeneration());
        NATIVE.set(tk_ticket_stamp.tag$layout(), stamp + tk_ticket_stamp.tag$offset(), decider.ticketTag());
        NATIVE.set(tk_ticket_stamp.host_id$layout(), stamp + tk_ticket_stamp.host_id$offset(), hostId);
        return 1;
    }

    int session(long view) {
        try {
            return decide(view);
        } catch (Throwable t) {
            try {
                decider.upcallFailed("session", t);
            } catch (Throwable last) {
                // Counting failed too (out of memory or stack): nothing may leave an upcall.
            }
            return TicketDecider.SESSION_IGNORE_RENEW;
        }
    }

    private int decide(long view) {
        long stamp = view + tk_session_view.stamp$offset();
        SessionView session = decider.sessionView().fill(
                NATIVE.get(tk_session_view.context_id$layout(), view + tk_session_view.context_id$offset()),
                NATIVE.get(tk_session_view.status$layout(), view + tk_session_view.status$offset()),
                NATIVE.get(tk_session_view.protocol_version$layout(), view + tk_session_view.protocol_version$offset()),
                NATIVE.get(tk_session_view.has_peer_certificate$layout(),
                        view + tk_session_view.has_peer_certificate$offset()) != 0,
                NATIVE.get(tk_session_view.session_time_s$layout(), view + tk_session_view.session_time_s$offset()),
                decider.keysFor(NATIVE.get(tk_session_view.key_generation$layout(),
                        view + tk_session_view.key_generation$offset())),
                NATIVE.get(tk_session_view.key_slot$layout(), view + tk_session_view.key_slot$offset()),
                NATIVE.get(tk_session_view.has_stamp$layout(), view + tk_session_view.has_stamp$offset()) != 0,
                NATIVE.get(tk_ticket_stamp.issued_at_ms$layout(), stamp + tk_ticket_stamp.issued_at_ms$offset()),
                NATIVE.get(tk_ticket_stamp.key_generation$layout(), stamp + tk_ticket_stamp.key_generation$offset()),
                NATIVE.get(tk_ticket_stamp.tag$layout(), stamp + tk_ticket_stamp.tag$offset()),
                NATIVE.get(tk_ticket_stamp.host_id$layout(), stamp + tk_ticket_stamp.host_id$offset()));
        if (NATIVE.get(tk_session_view.has_peer_sha256$layout(), view + tk_session_view.has_peer_sha256$offset())
                != 0) {
            MemorySegment.copy(NATIVE, ValueLayout.JAVA_BYTE, view + tk_session_view.peer_sha256$offset(),
                    session.peerSha256Buffer(), 0, PEER_SHA256_LENGTH);
            session.peerSha256Filled();
        }
        int serverNameLength = NATIVE.get(tk_session_view.server_name_len$layout(),
                view + tk_session_view.server_name_len$offset());
        if (serverNameLength > 0 && serverNameLength <= SERVER_NAME_CAPACITY) {
            MemorySegment.copy(NATIVE, ValueLayout.JAVA_BYTE, view + tk_session_view.server_name$offset(),
                    session.serverNameBuffer(), 0, serverNameLength);
            session.serverNameFilled(serverNameLength);
        }
        return decider.session(session);
    }
}

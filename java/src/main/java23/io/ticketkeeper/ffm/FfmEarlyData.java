package io.ticketkeeper.ffm;

import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_early_data_view;
import io.ticketkeeper.ffm.shim.tk_ticket_stamp;
import io.ticketkeeper.internal.EarlyDataDecider;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The early data upcall (tk_early_data_fn) for one handle. It runs only when a client offers early data, so it
 * reads the view into a {@link EarlyDataDecider.View} without counting allocations. Nothing escapes: a fault of
 * our own refuses (0, the safe answer).
 */
final class FfmEarlyData {
    private static final int ACCEPT = TicketKeeperShim.TK_EARLY_DATA_ACCEPT();
    private static final int REFUSE = TicketKeeperShim.TK_EARLY_DATA_REFUSE();
    /** user and view as 64-bit integers, as {@link FfmUpcalls} takes pointers: no segment per call. */
    private static final FunctionDescriptor UPCALL = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final MethodHandle DECIDE;
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    static {
        try {
            DECIDE = MethodHandles.lookup().findVirtual(FfmEarlyData.class, "decide",
                    MethodType.methodType(int.class, long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EarlyDataDecider decider;

    FfmEarlyData(EarlyDataDecider decider) {
        this.decider = decider;
    }

    MemorySegment stub(Arena arena) {
        return Linker.nativeLinker().upcallStub(DECIDE.bindTo(this), UPCALL, arena);
    }

    int decide(long user, long view) {
        try {
            return decider.decide(read(view)) ? ACCEPT : REFUSE;
        } catch (Throwable t) {
            return REFUSE;
        }
    }

    private static EarlyDataDecider.View read(long view) {
        long stamp = view + tk_early_data_view.stamp$offset();
        byte[] random = new byte[TicketKeeperShim.TK_CLIENT_RANDOM_LEN()];
        MemorySegment.copy(NATIVE, ValueLayout.JAVA_BYTE, view + tk_early_data_view.client_random$offset(), random, 0,
                random.length);
        return new EarlyDataDecider.View(
                NATIVE.get(tk_early_data_view.context_id$layout(), view + tk_early_data_view.context_id$offset()),
                NATIVE.get(tk_early_data_view.protocol_version$layout(),
                        view + tk_early_data_view.protocol_version$offset()),
                NATIVE.get(tk_early_data_view.cipher_id$layout(), view + tk_early_data_view.cipher_id$offset()),
                Integer.toUnsignedLong(NATIVE.get(tk_early_data_view.max_early_data$layout(),
                        view + tk_early_data_view.max_early_data$offset())),
                NATIVE.get(tk_early_data_view.has_stamp$layout(), view + tk_early_data_view.has_stamp$offset()) != 0,
                NATIVE.get(tk_ticket_stamp.issued_at_ms$layout(), stamp + tk_ticket_stamp.issued_at_ms$offset()),
                NATIVE.get(tk_ticket_stamp.key_generation$layout(), stamp + tk_ticket_stamp.key_generation$offset()),
                random,
                text(view + tk_early_data_view.server_name$offset(), NATIVE.get(
                        tk_early_data_view.server_name_len$layout(), view + tk_early_data_view.server_name_len$offset()),
                        TicketKeeperShim.TK_MAX_SERVER_NAME_LEN()),
                text(view + tk_early_data_view.alpn$offset(), NATIVE.get(tk_early_data_view.alpn_len$layout(),
                        view + tk_early_data_view.alpn_len$offset()), TicketKeeperShim.TK_MAX_ALPN_LEN()),
                ticketId(view));
    }

    private static byte[] ticketId(long view) {
        if (NATIVE.get(tk_early_data_view.has_ticket_id$layout(), view + tk_early_data_view.has_ticket_id$offset())
                == 0) {
            return null;
        }
        byte[] id = new byte[TicketKeeperShim.TK_SHA256_LEN()];
        MemorySegment.copy(NATIVE, ValueLayout.JAVA_BYTE, view + tk_early_data_view.ticket_id$offset(), id, 0,
                id.length);
        return id;
    }

    private static String text(long address, int length, int capacity) {
        if (length <= 0 || length > capacity) {
            return null;
        }
        byte[] bytes = new byte[length];
        MemorySegment.copy(NATIVE, ValueLayout.JAVA_BYTE, address, bytes, 0, length);
        return EarlyDataDecider.text(bytes, length);
    }
}

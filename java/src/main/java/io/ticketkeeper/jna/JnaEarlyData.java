package io.ticketkeeper.jna;

import static io.ticketkeeper.internal.ShimLayout.CLIENT_RANDOM_LEN;
import static io.ticketkeeper.internal.ShimLayout.EARLY_ALPN;
import static io.ticketkeeper.internal.ShimLayout.EARLY_ALPN_LEN;
import static io.ticketkeeper.internal.ShimLayout.EARLY_CIPHER_ID;
import static io.ticketkeeper.internal.ShimLayout.EARLY_CLIENT_RANDOM;
import static io.ticketkeeper.internal.ShimLayout.EARLY_CONTEXT_ID;
import static io.ticketkeeper.internal.ShimLayout.EARLY_HAS_STAMP;
import static io.ticketkeeper.internal.ShimLayout.EARLY_HAS_TICKET_ID;
import static io.ticketkeeper.internal.ShimLayout.EARLY_MAX_EARLY_DATA;
import static io.ticketkeeper.internal.ShimLayout.EARLY_PROTOCOL_VERSION;
import static io.ticketkeeper.internal.ShimLayout.EARLY_SERVER_NAME;
import static io.ticketkeeper.internal.ShimLayout.EARLY_SERVER_NAME_LEN;
import static io.ticketkeeper.internal.ShimLayout.EARLY_STAMP;
import static io.ticketkeeper.internal.ShimLayout.EARLY_TICKET_ID;
import static io.ticketkeeper.internal.ShimLayout.MAX_ALPN_LEN;
import static io.ticketkeeper.internal.ShimLayout.MAX_SERVER_NAME_LEN;
import static io.ticketkeeper.internal.ShimLayout.STAMP_ISSUED_AT_MS;
import static io.ticketkeeper.internal.ShimLayout.STAMP_KEY_GENERATION;

import io.ticketkeeper.internal.EarlyDataDecider;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The early data upcall (tk_early_data_fn) as a JNA callback, on both upcall paths of the JNA backend: it runs only
 * when a client offers early data, so JNA's dispatch cost is paid there and nowhere else. The installation holds
 * it strongly until tk_close returned. Nothing escapes: a fault of our own refuses (0, the safe answer).
 */
final class JnaEarlyData {
    private static final int ACCEPT = 1;
    private static final int REFUSE = 0;
    /** TK_SHA256_LEN: the ticket id's length. */
    private static final int TICKET_ID_LEN = 32;
    private static final CallbackThreadInitializer THREADS =
            new CallbackThreadInitializer(true, false, "ticketkeeper-upcall");

    /** tk_early_data_fn: {@code int32_t (void *user, const tk_early_data_view *view)}. */
    interface EarlyDataFn extends Callback {
        int invoke(long user, long view);
    }

    private final EarlyDataDecider decider;
    final EarlyDataFn callback = this::decide;

    JnaEarlyData(EarlyDataDecider decider) {
        this.decider = decider;
        Native.setCallbackThreadInitializer(callback, THREADS);
    }

    int decide(long user, long view) {
        try {
            return decider.decide(read(new Pointer(view))) ? ACCEPT : REFUSE;
        } catch (Throwable t) {
            return REFUSE;
        }
    }

    private static EarlyDataDecider.View read(Pointer view) {
        return new EarlyDataDecider.View(JniUpcalls.localId(view.getLong(EARLY_CONTEXT_ID)),
                view.getInt(EARLY_PROTOCOL_VERSION), view.getInt(EARLY_CIPHER_ID),
                Integer.toUnsignedLong(view.getInt(EARLY_MAX_EARLY_DATA)), view.getInt(EARLY_HAS_STAMP) != 0,
                view.getLong(EARLY_STAMP + STAMP_ISSUED_AT_MS), view.getLong(EARLY_STAMP + STAMP_KEY_GENERATION),
                view.getByteArray(EARLY_CLIENT_RANDOM, CLIENT_RANDOM_LEN),
                text(view, EARLY_SERVER_NAME, view.getInt(EARLY_SERVER_NAME_LEN), MAX_SERVER_NAME_LEN),
                text(view, EARLY_ALPN, view.getInt(EARLY_ALPN_LEN), MAX_ALPN_LEN),
                view.getInt(EARLY_HAS_TICKET_ID) != 0 ? view.getByteArray(EARLY_TICKET_ID, TICKET_ID_LEN) : null);
    }

    private static String text(Pointer view, int offset, int length, int capacity) {
        if (length <= 0 || length > capacity) {
            return null;
        }
        return EarlyDataDecider.text(view.getByteArray(offset, length), length);
    }
}

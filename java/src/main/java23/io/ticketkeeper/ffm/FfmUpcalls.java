package io.ticketkeeper.ffm;

import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_session_view;
import io.ticketkeeper.ffm.shim.tk_ticket_stamp;
import io.ticketkeeper.internal.SessionView;
import io.ticketkeeper.internal.TicketDecider;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The four upcall targets. Each catches everything: an exception that reached the upcall stub would terminate
 * the JVM. Policy failures are already answered by the decider; what is caught here is a fault of our own.
 */
final class FfmUpcalls {
    private static final int NO_TICKET = -1;
    private static final int TICKET_SUCCESS = TicketKeeperShim.TK_TICKET_SUCCESS();
    private static final int TICKET_SUCCESS_RENEW = TicketKeeperShim.TK_TICKET_SUCCESS_RENEW();
    private static final long STAMP_SIZE = tk_ticket_stamp.sizeof();
    private static final long VIEW_SIZE = tk_session_view.sizeof();
    private static final int PEER_SHA256_LENGTH = TicketKeeperShim.TK_SHA256_LEN();

    private final TicketDecider decider;

    FfmUpcalls(TicketDecider decider) {
        this.decider = decider;
    }

    int encrypt(long generation, MemorySegment outLifetime) {
        try {
            int slot = decider.encrypt(generation);
            if (slot >= 0) {
                long lifetime = decider.lifetimeSeconds(generation, slot);
                outLifetime.reinterpret(Long.BYTES).set(ValueLayout.JAVA_LONG, 0, lifetime);
            }
            return slot;
        } catch (Throwable t) {
            decider.upcallFailed("encrypt", t);
            return NO_TICKET;
        }
    }

    int decrypt(long generation, int slot) {
        try {
            return decider.decrypt(generation, slot);
        } catch (Throwable t) {
            decider.upcallFailed("decrypt", t);
            return TicketDecider.KEY_REJECT;
        }
    }

    int generate(MemorySegment outStamp) {
        try {
            MemorySegment stamp = outStamp.reinterpret(STAMP_SIZE);
            tk_ticket_stamp.issued_at_ms(stamp, decider.nowMillis());
            tk_ticket_stamp.key_generation(stamp, decider.currentGeneration());
            tk_ticket_stamp.tag(stamp, decider.ticketTag());
            return 1;
        } catch (Throwable t) {
            decider.upcallFailed("generate", t);
            return 0;
        }
    }

    int session(MemorySegment nativeView) {
        try {
            MemorySegment view = nativeView.reinterpret(VIEW_SIZE);
            MemorySegment stamp = tk_session_view.stamp(view);
            int status = tk_session_view.status(view);
            SessionView session = decider.sessionView().fill(
                    status == TICKET_SUCCESS || status == TICKET_SUCCESS_RENEW,
                    status == TICKET_SUCCESS_RENEW,
                    tk_session_view.protocol_version(view),
                    tk_session_view.has_peer_certificate(view) != 0,
                    tk_session_view.session_time_s(view),
                    decider.keysFor(tk_session_view.key_generation(view)),
                    tk_session_view.key_slot(view),
                    tk_session_view.has_stamp(view) != 0,
                    tk_ticket_stamp.issued_at_ms(stamp),
                    tk_ticket_stamp.key_generation(stamp),
                    tk_ticket_stamp.tag(stamp));
            if (tk_session_view.has_peer_sha256(view) != 0) {
                MemorySegment.copy(tk_session_view.peer_sha256(view), ValueLayout.JAVA_BYTE, 0,
                        session.peerSha256Buffer(), 0, PEER_SHA256_LENGTH);
                session.peerSha256Filled();
            }
            return decider.session(session);
        } catch (Throwable t) {
            decider.upcallFailed("session", t);
            return TicketDecider.SESSION_IGNORE_RENEW;
        }
    }
}

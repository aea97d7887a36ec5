package io.ticketkeeper.internal;

import io.ticketkeeper.ReplayAnswer;
import io.ticketkeeper.ReplayRecord;

/**
 * Single-use TLS 1.3 tickets (RFC 8446 section 8.1) for every resumption: the session decision records each
 * presented ticket's identity (the shim's ticket id, the one the early data view carries) in an anti-replay record
 * for the tickets' lifetime, and a ticket seen before gives a full handshake. Only {@link ReplayAnswer#FIRST}
 * resumes: a record that cannot vouch for the ticket (unreachable, starting, full) never lets it through unchecked.
 */
public final class SingleUseTickets {
    /** Set before the ticket id in the record's key, so that these entries never meet early data's once-per-ticket
     * entries for the same ticket when both share one record. */
    private static final byte KEY_LABEL = 'U';

    private final ReplayRecord record;
    private final long ticketLifetimeMillis;
    private final FailureLog failures = new FailureLog(System.Logger.Level.WARNING);

    public SingleUseTickets(ReplayRecord record, long ticketLifetimeMillis) {
        this.record = record;
        this.ticketLifetimeMillis = ticketLifetimeMillis;
    }

    public ReplayRecord record() {
        return record;
    }

    /**
     * Records the ticket of {@code view} (an opened TLS 1.3 ticket) at {@code nowMillis}: {@link ReplayAnswer#FIRST}
     * when it was not used before, else why not; a ticket without an identity is {@link ReplayAnswer#UNAVAILABLE}.
     * Never throws.
     */
    public ReplayAnswer use(SessionView view, long nowMillis) {
        try {
            byte[] key = view.ticketIdKey(KEY_LABEL);
            if (key == null) {
                return ReplayAnswer.UNAVAILABLE;
            }
            ReplayAnswer answer = record.record(key, ticketLifetimeMillis, view.issuedAtMillis(), nowMillis);
            return answer == null ? ReplayAnswer.UNAVAILABLE : answer;
        } catch (RuntimeException e) {
            failures.record(e, SingleUseTickets::failed);
            return ReplayAnswer.UNAVAILABLE;
        }
    }

    private static String failed(long times) {
        return "TicketKeeper's single-use ticket record failed (" + times
                + " times so far); those resumptions got a full handshake";
    }
}

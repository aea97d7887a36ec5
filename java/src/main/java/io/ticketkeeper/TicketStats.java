package io.ticketkeeper;

/**
 * A snapshot of the counters of one handle, or of one of its contexts ({@link TicketContext#stats()}).
 *
 * @param sealed tickets sealed
 * @param resumed presented tickets that resumed a session
 * @param renewed resumptions that sent the client a renewed ticket
 * @param rejectedUnknownKey presented tickets under a key that is not published
 * @param rejectedByPolicy presented tickets the policy turned away (full handshake)
 * @param rejectedOtherHost presented tickets sealed for another virtual host (full handshake): see
 *     {@link TicketKeeperHandle#attach(long, String)}
 * @param aborted handshakes the policy failed
 * @param foreignTickets presented tickets opened by another library's ticket key callback, installed over
 *     TicketKeeper's after it (Netty's {@code setTicketKeys} does that): TicketKeeper neither decides nor counts
 *     them as its resumptions
 * @param policyErrors exceptions thrown by policy code (each got the safe outcome)
 * @param upcallErrors faults in TicketKeeper's own upcall code (each got the safe outcome)
 * @param closedCallbacks OpenSSL callbacks after close, answered with the safe outcome (handle totals only)
 * @param detachedCallbacks OpenSSL callbacks on a context taken out of the handle, answered with the safe outcome
 *     (handle totals only)
 * @param cryptoErrors native failures while setting up a ticket's cipher, MAC or stamp (handle totals only)
 * @param badDecisions policy answers out of range (for example a slot that does not exist), treated as safe
 *     (handle totals only)
 * @param unsealed new sessions that got no ticket because the policy chose no key: none may seal (a fleet that lost
 *     its Redis for longer than its keys allow), or the policy's own choice
 * @param unstampedTicketsRefused new tickets not issued because their stamp (the virtual host and age bound into
 *     every ticket) could not be made or stored: TicketKeeper never issues an unbound ticket (handle totals only)
 * @param rejectedUnbound presented tickets bound to no host (nginx's, version-1 stamps) on a context attached with
 *     a host name, without {@link TicketKeeperOptions.Builder#acceptUnboundTickets(boolean)} (full handshake)
 * @param rejectedReusedTicket TLS 1.3 tickets presented again while single-use tickets are on
 *     ({@link TicketKeeperOptions.Builder#singleUseTickets}; full handshake with a fresh ticket)
 * @param rejectedUncheckedTicket TLS 1.3 tickets that the single-use record could not vouch for (unreachable,
 *     starting, full, or a ticket without an identity): full handshake with a fresh ticket, never resumed unchecked
 */
public record TicketStats(
        long sealed,
        long resumed,
        long renewed,
        long rejectedUnknownKey,
        long rejectedByPolicy,
        long rejectedOtherHost,
        long aborted,
        long foreignTickets,
        long policyErrors,
        long upcallErrors,
        long closedCallbacks,
        long detachedCallbacks,
        long cryptoErrors,
        long badDecisions,
        long unsealed,
        long unstampedTicketsRefused,
        long rejectedUnbound,
        long rejectedReusedTicket,
        long rejectedUncheckedTicket) {
}

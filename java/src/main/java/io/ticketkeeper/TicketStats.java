package io.ticketkeeper;

/**
 * A snapshot of one handle's counters.
 *
 * @param sealed tickets sealed
 * @param resumed presented tickets that resumed a session
 * @param renewed resumptions that sent the client a renewed ticket
 * @param rejectedUnknownKey presented tickets under a key that is not published
 * @param rejectedByPolicy presented tickets the policy turned away (full handshake)
 * @param aborted handshakes the policy failed
 * @param policyErrors exceptions thrown by policy code (each got the safe outcome)
 * @param upcallErrors faults in TicketKeeper's own upcall code (each got the safe outcome)
 * @param closedCallbacks OpenSSL callbacks after close, answered with the safe outcome
 * @param detachedCallbacks OpenSSL callbacks on a context taken out of the handle, answered with the safe outcome
 * @param cryptoErrors native failures while setting up a ticket's cipher, MAC or stamp
 * @param badDecisions policy answers out of range (for example a slot that does not exist), treated as safe
 * @param unsealed new sessions that got no ticket because the policy chose no key: none may seal (a fleet that lost
 *     its Redis for longer than its keys allow), or the policy's own choice
 */
public record TicketStats(
        long sealed,
        long resumed,
        long renewed,
        long rejectedUnknownKey,
        long rejectedByPolicy,
        long aborted,
        long policyErrors,
        long upcallErrors,
        long closedCallbacks,
        long detachedCallbacks,
        long cryptoErrors,
        long badDecisions,
        long unsealed) {
}

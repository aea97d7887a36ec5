package io.ticketkeeper.cli;

import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketSession;

/**
 * Wraps the policy {@code serve} runs and notes, per thread, what it decided, so the connection's log line can say
 * which key a presented ticket named, what was decided and which key sealed the new tickets. {@code serve} drives
 * each connection on one thread, and OpenSSL calls back on the thread that drives the handshake. Recording only
 * stores into a per-thread object: no allocation, no lock.
 */
final class DecisionRecorder implements TicketPolicy {
    /** What the policy decided during one connection. Read it after the connection, on the same thread. */
    static final class Decisions {
        KeySnapshot presentedKeys;
        /** The slot of the key a presented ticket named: -1 for an unknown key, -2 when none was presented. */
        int presentedSlot = -2;
        KeyDecision keyDecision;
        SessionDecision sessionDecision;
        KeySnapshot sealingKeys;
        int sealingSlot = NO_TICKET;
        int ticketsSealed;

        void clear() {
            presentedKeys = null;
            presentedSlot = -2;
            keyDecision = null;
            sessionDecision = null;
            sealingKeys = null;
            sealingSlot = NO_TICKET;
            ticketsSealed = 0;
        }
    }

    private final TicketPolicy policy;
    private final ThreadLocal<Decisions> decisions = ThreadLocal.withInitial(Decisions::new);

    DecisionRecorder(TicketPolicy policy) {
        this.policy = policy;
    }

    /** Clears this thread's record before a connection and returns it. */
    Decisions begin() {
        Decisions current = decisions.get();
        current.clear();
        return current;
    }

    /** The handle calls the clocked methods; the others delegate here at the wrapped policy's own notion of now. */
    @Override
    public int selectKey(KeySnapshot keys, long nowMillis) {
        return recordSelected(keys, policy.selectKey(keys, nowMillis));
    }

    private int recordSelected(KeySnapshot keys, int slot) {
        Decisions current = decisions.get();
        current.sealingKeys = keys;
        current.sealingSlot = slot;
        if (slot != NO_TICKET) {
            current.ticketsSealed++;
        }
        return slot;
    }

    @Override
    public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
        return recordDecided(keys, slot, policy.decideKey(keys, slot, nowMillis));
    }

    private KeyDecision recordDecided(KeySnapshot keys, int slot, KeyDecision decision) {
        Decisions current = decisions.get();
        current.presentedKeys = keys;
        current.presentedSlot = slot;
        current.keyDecision = decision;
        return decision;
    }

    @Override
    public long ticketLifetimeMillis(KeySnapshot keys, int slot, long nowMillis) {
        return policy.ticketLifetimeMillis(keys, slot, nowMillis);
    }

    @Override
    public SessionDecision decideSession(TicketSession session) {
        SessionDecision decision = policy.decideSession(session);
        decisions.get().sessionDecision = decision;
        return decision;
    }

    @Override
    public String toString() {
        return policy.toString();
    }
}

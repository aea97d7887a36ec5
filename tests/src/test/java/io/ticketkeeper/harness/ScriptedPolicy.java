package io.ticketkeeper.harness;

import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketSession;

import java.util.concurrent.atomic.AtomicInteger;

/** The default policy, except where a test scripts an answer or an exception; remembers the last session seen. */
final class ScriptedPolicy implements TicketPolicy {
    private final TicketPolicy defaults = TicketPolicy.defaults();
    volatile KeyDecision keyDecision;
    volatile SessionDecision sessionDecision;
    volatile RuntimeException throwOnSelect;
    volatile RuntimeException throwOnKey;
    volatile RuntimeException throwOnSession;
    volatile String lastSession;
    volatile long lastIssuedAt = Long.MIN_VALUE;
    volatile long lastAge = Long.MIN_VALUE;
    volatile int lastProtocol;
    volatile int lastSlot = Integer.MIN_VALUE;
    final AtomicInteger sessions = new AtomicInteger();

    @Override
    public int selectKey(KeySnapshot keys, long nowMillis) {
        if (throwOnSelect != null) {
            throw throwOnSelect;
        }
        return defaults.selectKey(keys, nowMillis);
    }

    @Override
    public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
        if (throwOnKey != null) {
            throw throwOnKey;
        }
        KeyDecision scripted = keyDecision;
        return scripted != null ? scripted : defaults.decideKey(keys, slot, nowMillis);
    }

    @Override
    public SessionDecision decideSession(TicketSession session) {
        sessions.incrementAndGet();
        lastSession = session.toString();
        lastIssuedAt = session.issuedAtMillis();
        lastAge = session.ageMillis();
        lastProtocol = session.protocolVersion();
        lastSlot = session.keySlot();
        if (throwOnSession != null) {
            throw throwOnSession;
        }
        SessionDecision scripted = sessionDecision;
        return scripted != null ? scripted : defaults.decideSession(session);
    }
}

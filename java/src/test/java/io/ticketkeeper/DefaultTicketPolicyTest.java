package io.ticketkeeper;

import static io.ticketkeeper.testkit.SessionViewImage.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketkeeper.internal.ShimCodes;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.testkit.SessionViewImage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Every decision of the built-in policy, on plain snapshots and sessions: no handshake. */
class DefaultTicketPolicyTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final Instant AT = Instant.ofEpochMilli(NOW);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final DefaultTicketPolicy POLICY = DefaultTicketPolicy.builder().maxAge(HOUR.multipliedBy(12))
            .renewAfter(HOUR.multipliedBy(6)).build();

    private static ScheduledKey key(Instant notBefore, Instant sealUntil, Instant openUntil) {
        return ScheduledKey.of(TicketKey.generate(), notBefore, sealUntil, openUntil);
    }

    /** Slot 0 staged (seals from in an hour), 1 sealing, 2 open-only for an hour, 3 expired an hour ago. */
    private static final KeySnapshot KEYS = KeySnapshot.scheduled(3, List.of(
            key(AT.plus(HOUR), ScheduledKey.FOREVER, ScheduledKey.FOREVER),
            key(AT.minus(HOUR), AT.plus(HOUR), AT.plus(HOUR.multipliedBy(2))),
            ScheduledKey.openOnly(TicketKey.generate(), AT.plus(HOUR)),
            ScheduledKey.openOnly(TicketKey.generate(), AT.minus(HOUR))));

    @Test
    void theNewestKeyThatSealsSeals() {
        assertEquals(1, POLICY.selectKey(KEYS, NOW), "the staged key does not seal yet");
        assertEquals(0, POLICY.selectKey(KEYS, NOW + HOUR.toMillis()), "the staged key's time came");
        KeySnapshot openOnly = KeySnapshot.scheduled(4, List.of(KEYS.scheduledKey(2)));
        assertEquals(TicketPolicy.NO_TICKET, POLICY.selectKey(openOnly, NOW), "no key seals");
        assertEquals(TicketPolicy.NO_TICKET, POLICY.selectKey(KeySnapshot.EMPTY, NOW), "no key at all");
    }

    /** At the start of a hand-over the previous key seals every ticket; from its end the new one does. */
    @Test
    void aHandOverStartsWithThePreviousKeyAndEndsWithTheNewOne() {
        DefaultTicketPolicy handingOver = DefaultTicketPolicy.builder().handOver(HOUR).build();
        KeySnapshot keys = KeySnapshot.scheduled(5, List.of(key(AT, ScheduledKey.FOREVER, ScheduledKey.FOREVER),
                key(AT.minus(HOUR), ScheduledKey.FOREVER, ScheduledKey.FOREVER)));
        assertEquals(1, handingOver.selectKey(keys, NOW));
        assertEquals(0, handingOver.selectKey(keys, NOW + HOUR.toMillis()));
        KeySnapshot alone = KeySnapshot.scheduled(6, List.of(keys.scheduledKey(0)));
        assertEquals(0, handingOver.selectKey(alone, NOW), "no previous key to hand over from");
    }

    @Test
    void aPresentedKeyIsUsedRenewedOrRejectedByItsSchedule() {
        assertEquals(KeyDecision.USE, POLICY.decideKey(KEYS, 0, NOW), "staged: sealing elsewhere already");
        assertEquals(KeyDecision.USE, POLICY.decideKey(KEYS, 1, NOW), "sealing");
        assertEquals(KeyDecision.RENEW, POLICY.decideKey(KEYS, 2, NOW), "open-only");
        assertEquals(KeyDecision.REJECT, POLICY.decideKey(KEYS, 3, NOW), "past its open-until");
        assertEquals(KeyDecision.REJECT, POLICY.decideKey(KEYS, -1, NOW), "unknown");
    }

    @Test
    void aTicketLivesAtMostTheMaximumAgeAndItsKeysOpenLife() {
        assertEquals(2 * HOUR.toMillis(), POLICY.ticketLifetimeMillis(KEYS, 1, NOW));
        assertEquals(12 * HOUR.toMillis(), POLICY.ticketLifetimeMillis(KEYS, 0, NOW));
    }

    /** The view the shim gives the session upcall, as the policy sees it (the upcall body's own reading). */
    private static TicketSession session(SessionViewImage image) {
        TicketDecider decider = new TicketDecider(POLICY, Clock.fixed(AT, ZoneOffset.UTC), KEYS);
        return decider.sessionView().read(image.memory(), ADDRESS, KEYS);
    }

    private static SessionViewImage issued(int protocol, int slot, Duration ago) {
        return SessionViewImage.opened(0, protocol, KEYS.generation(), slot).stamp(NOW - ago.toMillis(), 3, 0, 0);
    }

    @Test
    void everySessionDecision() {
        assertEquals(SessionDecision.USE, POLICY.decideSession(session(issued(TicketSession.TLS1_2, 1, HOUR))));
        assertEquals(SessionDecision.USE_RENEW,
                POLICY.decideSession(session(issued(TicketSession.TLS1_2, 1, HOUR.multipliedBy(6)))),
                "at the renewal age");
        assertEquals(SessionDecision.USE_RENEW, POLICY.decideSession(session(issued(TicketSession.TLS1_3, 1, HOUR))),
                "TLS 1.3 tickets are single use");
        assertEquals(SessionDecision.USE_RENEW, POLICY.decideSession(session(issued(TicketSession.TLS1_2, 1, HOUR)
                .status(ShimCodes.TICKET_OPENED_RENEW))), "the key callback asked for a renewal");
        assertEquals(SessionDecision.IGNORE_RENEW,
                POLICY.decideSession(session(issued(TicketSession.TLS1_2, 1, HOUR.multipliedBy(13)))),
                "past the maximum age");
        assertEquals(SessionDecision.IGNORE_RENEW, POLICY.decideSession(session(issued(TicketSession.TLS1_2, 3,
                HOUR))), "its key no longer opens");
        assertEquals(SessionDecision.IGNORE_RENEW, POLICY.decideSession(session(new SessionViewImage())),
                "not opened");
        DefaultTicketPolicy revoking = DefaultTicketPolicy.builder()
                .revocations(TicketRevocations.create().revokeTag(7)).build();
        assertEquals(SessionDecision.IGNORE_RENEW, revoking.decideSession(session(SessionViewImage.opened(0,
                TicketSession.TLS1_2, 3, 1).stamp(NOW - 1000, 3, 7, 0))), "revoked");
        assertEquals(SessionDecision.USE, revoking.decideSession(session(SessionViewImage.opened(0,
                TicketSession.TLS1_2, 3, 1).stamp(NOW - 1000, 3, 8, 0))), "another tag");
    }
}

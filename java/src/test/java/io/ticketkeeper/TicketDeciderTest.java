package io.ticketkeeper;

import static io.ticketkeeper.testkit.SessionViewImage.ADDRESS;
import static io.ticketkeeper.testkit.SessionViewImage.OUT_LIFETIME;
import static io.ticketkeeper.testkit.SessionViewImage.OUT_MAX_EARLY_DATA;
import static io.ticketkeeper.testkit.SessionViewImage.OUT_SLOT;
import static io.ticketkeeper.testkit.SessionViewImage.OUT_STAMP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.internal.NativeMemory;
import io.ticketkeeper.internal.SessionView;
import io.ticketkeeper.internal.ShimCodes;
import io.ticketkeeper.internal.ShimLayout;
import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.TicketCounters;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.internal.TicketUpcalls;
import io.ticketkeeper.testkit.HeapMemory;
import io.ticketkeeper.testkit.SessionViewImage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.Test;

/**
 * The decider and the one upcall body, called as the shim calls them (the shim's structs in {@link HeapMemory}), with
 * no handshake: every decision, its code, and every counter it moves in the totals, the context's and the key's.
 */
class TicketDeciderTest {
    private static final long HOST = 0x1234_5678_9abc_def0L;
    private static final long OTHER_HOST = 0x0fed_cba9_8765_4321L;
    private static final long NOW = 1_700_000_000_000L;
    private static final long GENERATION = 7;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private static TicketDecider decider() {
        return new TicketDecider(TicketPolicy.defaults(), Clock.systemUTC(), KeySnapshot.EMPTY);
    }

    /** A policy whose answers a test sets, or that throws {@link #failure} from every method when it is set. */
    private static final class Answers implements TicketPolicy {
        int slot;
        KeyDecision key = KeyDecision.USE;
        SessionDecision session = SessionDecision.USE;
        long lifetimeMillis = Long.MAX_VALUE;
        Error failure;
        TicketSession seen;

        @Override
        public int selectKey(KeySnapshot keys, long nowMillis) {
            fail();
            return slot;
        }

        @Override
        public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
            fail();
            return key;
        }

        @Override
        public long ticketLifetimeMillis(KeySnapshot keys, int slot, long nowMillis) {
            fail();
            return lifetimeMillis;
        }

        @Override
        public SessionDecision decideSession(TicketSession session) {
            fail();
            seen = session;
            return this.session;
        }

        private void fail() {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** A decider over {@link #policy} with two published keys under {@link #GENERATION} and one context. */
    private static final class Fixture {
        final Answers policy = new Answers();
        final TicketDecider decider = new TicketDecider(policy, CLOCK, KeySnapshot.EMPTY);
        final TicketKey first = TicketKey.generate();
        final TicketKey second = TicketKey.generate();
        final KeySnapshot keys = KeySnapshot.scheduled(GENERATION,
                List.of(ScheduledKey.unlimited(first), ScheduledKey.unlimited(second)));
        final TicketCounters counters = new TicketCounters();
        final int context;
        final SessionViewImage image = new SessionViewImage();
        final TicketUpcalls upcalls = new TicketUpcalls(decider, image.memory());

        Fixture() {
            decider.stage(keys);
            decider.commitStaged();
            context = decider.addContext(new TicketDecider.Context(HOST, counters, "a.test"));
        }

        /** Asserts that {@code counter} is {@code expected} in the totals and in the context's counters. */
        void counted(ToLongFunction<TicketStats> counter, long expected, String what) {
            assertEquals(expected, counter.applyAsLong(decider.stats(ShimStats.NONE)), "totals: " + what);
            assertEquals(expected, counter.applyAsLong(counters.stats(ShimStats.NONE)), "context: " + what);
        }

        /** Asserts that nothing was counted, in the totals or the context's counters. */
        void nothingCounted(String what) {
            TicketStats none = new TicketCounters().stats(ShimStats.NONE);
            assertEquals(none, decider.stats(ShimStats.NONE), "totals: " + what);
            assertEquals(none, counters.stats(ShimStats.NONE), "context: " + what);
        }

        /** The session upcall on a ticket opened under {@code slot} and stamped for {@code hostId}. */
        int presented(int slot, long hostId) {
            image.contextId(context).status(ShimCodes.TICKET_OPENED).protocol(TicketSession.TLS1_2)
                    .key(GENERATION, slot).stamp(NOW - 1000, GENERATION, 5, hostId);
            return upcalls.session(ADDRESS);
        }
    }

    @Test
    void aSealedTicketIsCountedInTheTotalsTheContextAndItsKey() {
        Fixture f = new Fixture();
        f.policy.slot = 1;
        f.policy.lifetimeMillis = 90_500;
        assertEquals(ShimCodes.SEAL_CHOSEN, f.upcalls.seal(f.context, GENERATION, OUT_SLOT, OUT_LIFETIME));
        assertEquals(1, f.image.memory().getInt(OUT_SLOT));
        assertEquals(90, f.image.memory().getLong(OUT_LIFETIME), "whole seconds");
        f.counted(TicketStats::sealed, 1, "sealed");
        f.counted(TicketStats::unsealed, 0, "unsealed");
        assertEquals(1, f.decider.countersOf(f.second).sealed());
        assertEquals(0, f.decider.countersOf(f.first).sealed());

        f.policy.lifetimeMillis = Long.MAX_VALUE;
        f.policy.slot = 0;
        assertEquals(ShimCodes.SEAL_CHOSEN, f.upcalls.seal(f.context, GENERATION, OUT_SLOT, OUT_LIFETIME));
        assertEquals(-1, f.image.memory().getLong(OUT_LIFETIME), "no lifetime: the session timeout stays");
        f.policy.lifetimeMillis = 10;
        assertEquals(ShimCodes.SEAL_CHOSEN, f.upcalls.seal(f.context, GENERATION, OUT_SLOT, OUT_LIFETIME));
        assertEquals(1, f.image.memory().getLong(OUT_LIFETIME), "at least a second: 0 would mean unspecified");
        f.counted(TicketStats::sealed, 3, "sealed");
    }

    @Test
    void noKeyToSealIsCountedAsUnsealed() {
        Fixture f = new Fixture();
        f.policy.slot = TicketPolicy.NO_TICKET;
        assertEquals(ShimCodes.SEAL_NONE, f.upcalls.seal(f.context, GENERATION, OUT_SLOT, OUT_LIFETIME));
        f.counted(TicketStats::unsealed, 1, "unsealed");
        f.counted(TicketStats::sealed, 0, "sealed");
        assertEquals(0, f.decider.countersOf(f.first).sealed());
    }

    /** A table the decider never published (or no longer knows) seals nothing and counts nothing. */
    @Test
    void anUnknownGenerationSealsNothing() {
        Fixture f = new Fixture();
        assertEquals(ShimCodes.SEAL_NONE, f.upcalls.seal(f.context, GENERATION + 1, OUT_SLOT, OUT_LIFETIME));
        f.nothingCounted("an unknown generation");
    }

    /** A slot outside the table is the shim's to refuse (a bad decision there); the decider counts no ticket. */
    @Test
    void aSlotOutsideTheTableIsNotCounted() {
        Fixture f = new Fixture();
        f.policy.slot = 2;
        f.decider.seal(f.context, GENERATION, NOW);
        f.nothingCounted("a slot outside the table");
    }

    @Test
    void everyKeyDecisionHasItsCodeAndCounters() {
        Fixture f = new Fixture();
        f.policy.key = KeyDecision.USE;
        assertEquals(ShimCodes.KEY_USE, f.upcalls.open(f.context, GENERATION, 0));
        f.policy.key = KeyDecision.RENEW;
        assertEquals(ShimCodes.KEY_RENEW, f.upcalls.open(f.context, GENERATION, 0));
        assertEquals(2, f.decider.countersOf(f.first).opened());
        f.nothingCounted("a key opened: the session decision counts the resumption");

        f.policy.key = KeyDecision.REJECT;
        assertEquals(ShimCodes.KEY_REJECT, f.upcalls.open(f.context, GENERATION, 1));
        f.counted(TicketStats::rejectedByPolicy, 1, "rejected by policy");
        assertEquals(1, f.decider.countersOf(f.second).rejected());

        f.policy.key = KeyDecision.ABORT;
        assertEquals(ShimCodes.KEY_ABORT, f.upcalls.open(f.context, GENERATION, 1));
        f.counted(TicketStats::aborted, 1, "aborted");
        assertEquals(2, f.decider.countersOf(f.second).rejected());

        for (KeyDecision decision : new KeyDecision[] {KeyDecision.USE, KeyDecision.RENEW, KeyDecision.REJECT}) {
            f.policy.key = decision;
            assertEquals(ShimCodes.KEY_REJECT, f.upcalls.open(f.context, GENERATION, -1), decision.toString());
        }
        f.policy.key = KeyDecision.USE;
        assertEquals(ShimCodes.KEY_REJECT, f.upcalls.open(f.context, GENERATION + 1, 0), "an unknown table");
        f.counted(TicketStats::rejectedUnknownKey, 4, "rejected: unknown key");
        assertEquals(2, f.decider.countersOf(f.first).opened(), "no key counted for an unknown one");
    }

    @Test
    void everySessionDecisionOnAnOpenedTicketHasItsCodeAndCounters() {
        Fixture f = new Fixture();
        f.policy.session = SessionDecision.USE;
        assertEquals(ShimCodes.SESSION_USE, f.presented(0, HOST));
        f.counted(TicketStats::resumed, 1, "resumed");
        f.counted(TicketStats::renewed, 0, "renewed");
        f.policy.session = SessionDecision.USE_RENEW;
        assertEquals(ShimCodes.SESSION_USE_RENEW, f.presented(0, HOST));
        f.counted(TicketStats::resumed, 2, "resumed");
        f.counted(TicketStats::renewed, 1, "renewed");
        f.policy.session = SessionDecision.IGNORE;
        assertEquals(ShimCodes.SESSION_IGNORE, f.presented(0, HOST));
        f.policy.session = SessionDecision.IGNORE_RENEW;
        assertEquals(ShimCodes.SESSION_IGNORE_RENEW, f.presented(0, HOST));
        f.counted(TicketStats::rejectedByPolicy, 2, "rejected by policy");
        f.policy.session = SessionDecision.ABORT;
        assertEquals(ShimCodes.SESSION_ABORT, f.presented(0, HOST));
        f.counted(TicketStats::aborted, 1, "aborted");
    }

    /** A ticket that did not open (or an empty one, asking for a ticket) is no rejection of the policy's. */
    @Test
    void ignoringATicketThatDidNotOpenCountsNothing() {
        for (int status : new int[] {ShimCodes.TICKET_NOT_OPENED, ShimCodes.TICKET_EMPTY}) {
            Fixture f = new Fixture();
            f.image.contextId(f.context).status(status);
            f.policy.session = SessionDecision.IGNORE;
            assertEquals(ShimCodes.SESSION_IGNORE, f.upcalls.session(ADDRESS));
            f.policy.session = SessionDecision.IGNORE_RENEW;
            assertEquals(ShimCodes.SESSION_IGNORE_RENEW, f.upcalls.session(ADDRESS));
            assertFalse(f.policy.seen.opened());
            f.nothingCounted("status " + status);
        }
    }

    /** Another library's key callback opened it: counted, reported, used as OpenSSL would, not decided. */
    @Test
    void aForeignTicketIsCountedAndNotDecided() {
        Fixture f = new Fixture();
        f.policy.session = SessionDecision.ABORT;
        f.image.contextId(f.context).status(ShimCodes.TICKET_FOREIGN);
        assertEquals(ShimCodes.SESSION_USE, f.upcalls.session(ADDRESS));
        f.counted(TicketStats::foreignTickets, 1, "foreign");
        assertNull(f.policy.seen, "the policy was asked");
    }

    /** Bound to another host, or to none on a host that refuses unbound tickets: a full handshake, unasked. */
    @Test
    void aTicketOfAnotherHostOrOfNoneIsRefusedBeforeThePolicy() {
        Fixture f = new Fixture();
        assertEquals(ShimCodes.SESSION_IGNORE_RENEW, f.presented(0, OTHER_HOST));
        f.counted(TicketStats::rejectedOtherHost, 1, "another host");
        assertEquals(ShimCodes.SESSION_USE, f.presented(0, 0), "this context accepts unbound tickets");

        TicketCounters strict = new TicketCounters();
        int named = f.decider.addContext(new TicketDecider.Context(OTHER_HOST, strict, "b.test", false));
        f.image.contextId(named);
        assertEquals(ShimCodes.SESSION_IGNORE_RENEW, f.upcalls.session(ADDRESS));
        assertEquals(1, strict.stats(ShimStats.NONE).rejectedUnbound());
        assertEquals(1, f.decider.stats(ShimStats.NONE).rejectedUnbound());
        assertEquals(1, f.decider.stats(ShimStats.NONE).resumed(), "the policy was asked");
    }

    /** A policy that throws gets every upcall its safe outcome, counted as a policy error. */
    @Test
    void aThrowingPolicyGetsTheSafeOutcomeAndIsCounted() {
        Fixture f = new Fixture();
        f.policy.failure = new AssertionError("constructed");
        assertEquals(ShimCodes.SEAL_NONE, f.upcalls.seal(f.context, GENERATION, OUT_SLOT, OUT_LIFETIME));
        assertEquals(ShimCodes.KEY_REJECT, f.upcalls.open(f.context, GENERATION, 0));
        assertEquals(ShimCodes.SESSION_IGNORE_RENEW, f.presented(0, HOST));
        f.counted(TicketStats::policyErrors, 3, "policy errors");
        f.counted(TicketStats::upcallErrors, 0, "upcall errors");
        assertEquals(-1, f.decider.lifetimeSeconds(GENERATION, 0, NOW), "a throwing lifetime leaves the timeout");
        assertEquals(4, f.decider.stats(ShimStats.NONE).policyErrors(), "the lifetime names no context");
    }

    /** The stamp upcall writes what the shim stores in the ticket. */
    @Test
    void theStampIsWrittenForAnAttachedContext() {
        Fixture f = new Fixture();
        f.decider.ticketTag(42);
        assertEquals(ShimCodes.STAMP_STORED, f.upcalls.stamp(f.context, OUT_STAMP, OUT_MAX_EARLY_DATA));
        NativeMemory memory = f.image.memory();
        assertEquals(NOW, memory.getLong(OUT_STAMP + ShimLayout.STAMP_ISSUED_AT_MS));
        assertEquals(GENERATION, memory.getLong(OUT_STAMP + ShimLayout.STAMP_KEY_GENERATION));
        assertEquals(42, memory.getLong(OUT_STAMP + ShimLayout.STAMP_TAG));
        assertEquals(HOST, memory.getLong(OUT_STAMP + ShimLayout.STAMP_HOST_ID));
        assertEquals(ShimCodes.STAMP_NONE, f.upcalls.stamp(f.context + 1, OUT_STAMP, OUT_MAX_EARLY_DATA));
    }

    /** What the session upcall reads from the shim's view is what the policy sees. */
    @Test
    void thePolicySeesTheViewAsTheShimWroteIt() {
        Fixture f = new Fixture();
        byte[] fingerprint = new byte[32];
        fingerprint[0] = 1;
        fingerprint[31] = 2;
        f.image.contextId(f.context).status(ShimCodes.TICKET_OPENED_RENEW).protocol(TicketSession.TLS1_3)
                .key(GENERATION, 1).stamp(NOW - 2500, GENERATION - 1, 9, HOST).peerCertificate(fingerprint)
                .serverName("A.test.");
        f.policy.session = SessionDecision.USE_RENEW;
        assertEquals(ShimCodes.SESSION_USE_RENEW, f.upcalls.session(ADDRESS));
        TicketSession seen = f.policy.seen;
        assertTrue(seen.opened());
        assertTrue(seen.renewRequested());
        assertTrue(seen.isTls13());
        assertTrue(seen.hasPeerCertificate());
        assertEquals(ByteBuffer.wrap(fingerprint), seen.peerCertificateSha256());
        assertEquals(2500, seen.ageMillis());
        assertEquals(NOW - 2500, seen.issuedAtMillis());
        assertEquals(GENERATION - 1, seen.issuedUnderGeneration());
        assertEquals(9, seen.tag());
        assertEquals(1, seen.keySlot());
        assertSame(f.keys, seen.keys());
        assertEquals(Optional.of("A.test."), seen.serverName());

        f.image.serverNameLength(ShimLayout.MAX_SERVER_NAME_LEN + 1);
        f.upcalls.session(ADDRESS);
        assertEquals(Optional.empty(), f.policy.seen.serverName(), "a length beyond the view's room");
    }

    /** Without a stamp the age is the session's (OpenSSL's time, in seconds), and stamp values are not read. */
    @Test
    void anUnstampedTicketAgesFromTheSessionTime() {
        Fixture f = new Fixture();
        f.image.contextId(f.context).status(ShimCodes.TICKET_OPENED).protocol(TicketSession.TLS1_2).key(GENERATION, 0)
                .sessionTimeSeconds(NOW / 1000 - 30);
        f.upcalls.session(ADDRESS);
        assertEquals(30_000, f.policy.seen.ageMillis());
        assertEquals(-1, f.policy.seen.issuedAtMillis());
        assertEquals(0, f.policy.seen.tag());
        assertEquals(0, f.policy.seen.peerCertificateSha256().remaining());
    }

    /** A fault in the upcall body itself (here: its memory) is counted as an upcall error; nothing is thrown. */
    @Test
    void aFaultInTheUpcallBodyGetsTheSafeOutcome() {
        Fixture f = new Fixture();
        TicketUpcalls broken = new TicketUpcalls(f.decider, new HeapMemory(8));
        f.policy.slot = 0;
        assertEquals(ShimCodes.SEAL_NONE, broken.seal(f.context, GENERATION, OUT_SLOT, OUT_LIFETIME));
        assertEquals(ShimCodes.STAMP_NONE, broken.stamp(f.context, OUT_STAMP, OUT_MAX_EARLY_DATA));
        assertEquals(ShimCodes.SESSION_IGNORE_RENEW, broken.session(ADDRESS));
        assertEquals(3, f.decider.stats(ShimStats.NONE).upcallErrors());
    }

    /** Issue 18, item 4: no stamp (so no ticket, which the shim counts) for a context id that names no attached
     * context. */
    @Test
    void theStampOfAnUnknownContextIsRefusedAndCounted() {
        TicketDecider decider = decider();
        int id = decider.addContext(new TicketDecider.Context(HOST, new TicketCounters(), "a.test", false));
        assertEquals(HOST, decider.stampHostId(id));
        assertEquals(0, decider.stampHostId(id + 1));
        assertEquals(0, decider.stampHostId(-1));
        decider.removeContext(id);
        assertEquals(0, decider.stampHostId(id), "a detached context still got a stamp");
        decider.upcallFailed("stamp", new IllegalStateException("a failure in the stamp upcall"));
        TicketStats stats = decider.stats(ShimStats.NONE);
        assertEquals(1, stats.upcallErrors(), stats::toString);
    }

    /** A view of an opened ticket stamped for {@code hostId}, presented on {@code contextId} with {@code sni}. */
    private static SessionView presented(TicketDecider decider, int contextId, long hostId, String sni) {
        SessionViewImage image = SessionViewImage.opened(contextId, TicketSession.TLS1_3, 0, 0)
                .stamp(0, 0, 0, hostId).serverName(sni);
        return decider.sessionView().read(image.memory(), ADDRESS, KeySnapshot.EMPTY);
    }

    /**
     * Issue 18, item 1 after a servername callback: with followServerName, a ticket is decided (and counted) for
     * the attached context its server name names (case and one trailing dot ignored, a sharing group's names
     * included); a name no attached context serves, no name, and the option off leave the connection's context.
     */
    @Test
    void theServerNameChoosesTheContextAmongTheAttachedOnesOnly() {
        Answers accepting = new Answers();
        TicketDecider decider = new TicketDecider(accepting, Clock.systemUTC(), KeySnapshot.EMPTY, true);
        TicketCounters countersA = new TicketCounters();
        TicketCounters countersB = new TicketCounters();
        int a = decider.addContext(new TicketDecider.Context(HOST, countersA, "a.test", false, Set.of("a.test")));
        decider.addContext(new TicketDecider.Context(OTHER_HOST, countersB, "b.test", false,
                List.of("b.test", "d.test")));
        assertEquals(ShimCodes.SESSION_USE, decider.session(presented(decider, a, OTHER_HOST, "B.Test.")));
        assertEquals(ShimCodes.SESSION_USE, decider.session(presented(decider, a, OTHER_HOST, "d.test")));
        assertEquals(2, countersB.stats(ShimStats.NONE).resumed());
        assertEquals(0, countersA.stats(ShimStats.NONE).resumed());
        for (String refused : new String[] {"a.test", "c.test", "b.test..", "b.tes", "xb.test", "", null}) {
            assertEquals(ShimCodes.SESSION_IGNORE_RENEW,
                    decider.session(presented(decider, a, OTHER_HOST, refused)), "server name " + refused);
        }
        assertEquals(7, countersA.stats(ShimStats.NONE).rejectedOtherHost());
        assertEquals(0, countersB.stats(ShimStats.NONE).rejectedOtherHost());

        TicketDecider off = decider();
        int offA = off.addContext(new TicketDecider.Context(HOST, new TicketCounters(), "a.test", false,
                Set.of("a.test")));
        off.addContext(new TicketDecider.Context(OTHER_HOST, new TicketCounters(), "b.test", false,
                Set.of("b.test")));
        assertEquals(ShimCodes.SESSION_IGNORE_RENEW, off.session(presented(off, offA, OTHER_HOST, "b.test")),
                "followed the server name with the option off");
    }

    /** The server name as a policy sees it: as sent, and only when sent. */
    @Test
    void aPolicySeesTheServerNameAsSent() {
        TicketDecider decider = decider();
        SessionView view = presented(decider, 0, HOST, "B.test.");
        assertEquals(Optional.of("B.test."), view.serverName());
        assertTrue(view.serverNameIs("b.test".getBytes(StandardCharsets.UTF_8)));
        assertFalse(view.serverNameIs("b.test.".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), presented(decider, 0, HOST, null).serverName());
    }

    /**
     * Issue 18, item 10: when counting or logging a policy failure fails too (here: a context without counters, as
     * a bug elsewhere would leave it, so counting throws), the decider still answers safely and counts the failure
     * by its last resort; nothing is thrown at the upcall.
     */
    @Test
    void aFailureWhileCountingAPolicyErrorStillGetsTheSafeOutcome() {
        Answers throwing = new Answers();
        throwing.failure = new StackOverflowError("constructed");
        TicketDecider decider = new TicketDecider(throwing, Clock.systemUTC(), KeySnapshot.EMPTY);
        int id = decider.addContext(new TicketDecider.Context(HOST, null, "broken", false));
        assertEquals(ShimCodes.KEY_REJECT, decider.open(id, 0, 0));
        assertEquals(-1, decider.seal(id, KeySnapshot.EMPTY.generation(), 0));
        decider.upcallFailed("test", new OutOfMemoryError("constructed"));
        TicketStats stats = decider.stats(ShimStats.NONE);
        assertEquals(2, stats.policyErrors(), "counted before the context's counters failed: " + stats);
        assertEquals(3, stats.upcallErrors(), "two by the last resort, one the usual way: " + stats);
    }

    /** The image's fingerprint bytes reach the view byte for byte (the copy goes through NativeMemory.copy). */
    @Test
    void theFingerprintIsCopiedWhole() {
        Fixture f = new Fixture();
        byte[] fingerprint = new byte[32];
        for (int i = 0; i < fingerprint.length; i++) {
            fingerprint[i] = (byte) (i * 7 + 1);
        }
        f.image.contextId(f.context).status(ShimCodes.TICKET_OPENED).key(GENERATION, 0).peerCertificate(fingerprint);
        f.upcalls.session(ADDRESS);
        ByteBuffer seen = f.policy.seen.peerCertificateSha256();
        byte[] copy = new byte[seen.remaining()];
        seen.get(copy);
        assertArrayEquals(fingerprint, copy);
    }
}

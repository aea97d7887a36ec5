package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.SessionIdContext;
import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.OpenSslCalls;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One handle serving the virtual hosts of one server, as Tomcat and Netty make them: one context per host, every
 * context with the same certificate and the same session id context, one key ring. Tickets resume on their own
 * host (also on a context that replaced the one that sealed them), give a full handshake on another host unless
 * the hosts share tickets on purpose, and every context counts its own handshakes beside the handle's totals.
 * Real handshakes over memory BIO pairs, TLS 1.2 and 1.3.
 */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class VirtualHostsTest {
    private static SelfSignedCertificate certificate;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("a.test");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    /** Server contexts made for one test, freed at its end unless the test freed them itself. */
    private static final class Servers implements AutoCloseable {
        private final TlsVersion version;
        private final List<ServerContext> open = new ArrayList<>();

        Servers(TlsVersion version) {
            this.version = version;
        }

        ServerContext make() {
            ServerContext server = ServerContext.builder(version, certificate).build();
            open.add(server);
            return server;
        }

        void free(ServerContext server) {
            open.remove(server);
            server.close();
        }

        @Override
        public void close() {
            open.forEach(ServerContext::close);
        }
    }

    private static TicketKeeperHandle install(TicketKeeperOptions.Builder options) {
        return TicketKeeper.install(options.keys(TicketKey.generate()).build());
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTicketResumesOnItsOwnHostOnlyAndEachContextCountsItsOwn(TlsVersion version) {
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder())) {
            ServerContext a = servers.make();
            ServerContext b = servers.make();
            TicketContext onA = handle.attach(a.address(), "A.test.");
            TicketContext onB = handle.attach(b.address(), "b.test");
            assertEquals(Optional.of("a.test"), onA.hostName());
            assertEquals(List.of(onA, onB), handle.contexts());

            try (HandshakeResult first = MemoryHandshake.run(a, client, null);
                    HandshakeResult again = MemoryHandshake.run(a, client, first.session());
                    HandshakeResult elsewhere = MemoryHandshake.run(b, client, first.session())) {
                assertTrue(first.hasTicket(), first::toString);
                assertTrue(again.resumed(), "the ticket did not resume on its own host");
                assertTrue(elsewhere.completed(), elsewhere::toString);
                assertFalse(elsewhere.resumed(), "a ticket sealed for a.test resumed on b.test");
                assertTrue(elsewhere.hasTicket() && !elsewhere.session().sameTicketAs(first.session()),
                        "b.test sent no fresh ticket of its own");
                try (HandshakeResult own = MemoryHandshake.run(b, client, elsewhere.session())) {
                    assertTrue(own.resumed(), "b.test's own ticket did not resume there");
                }
            }
            TicketStats statsA = onA.stats();
            TicketStats statsB = onB.stats();
            assertEquals(1, statsA.resumed(), statsA::toString);
            assertEquals(0, statsA.rejectedOtherHost(), statsA::toString);
            assertEquals(1, statsB.rejectedOtherHost(), statsB::toString);
            assertEquals(1, statsB.resumed(), statsB::toString);
            TicketStats totals = handle.stats();
            assertEquals(statsA.sealed() + statsB.sealed(), totals.sealed(), totals::toString);
            assertEquals(2, totals.resumed(), totals::toString);
            assertEquals(1, totals.rejectedOtherHost(), totals::toString);
        }
    }

    /**
     * A server that moves a connection to another host's context (SSL_set_SSL_CTX, as its client_hello or
     * servername callback does): OpenSSL runs the ticket callbacks of the context the connection was made on, with
     * that context's argument, and TicketKeeper must stamp and decide for the context the connection is on. A
     * ticket issued on b.test's context is bound to b.test: it resumes there, and a.test refuses it, counted. (The
     * shim's own test drives the same switch from a servername callback, where OpenSSL opens a presented ticket
     * before the switch: test_contexts.c.) On the old shim the stamp came from a.test's context: the ticket
     * resumed on a.test.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTicketIssuedAfterAContextSwitchIsBoundToTheHostSwitchedTo(TlsVersion version) {
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder())) {
            ServerContext a = servers.make();
            ServerContext b = servers.make();
            TicketContext onA = handle.attach(a.address(), "a.test");
            TicketContext onB = handle.attach(b.address(), "b.test");
            try (HandshakeResult switched = MemoryHandshake.runSwitched(a, b, client, null)) {
                assertTrue(switched.hasTicket(), switched::toString);
                assertEquals(0, onA.stats().sealed(), onA.stats()::toString);
                assertTrue(onB.stats().sealed() >= 1, onB.stats()::toString);
                try (HandshakeResult onOtherHost = MemoryHandshake.run(a, client, switched.session());
                        HandshakeResult onOwnHost = MemoryHandshake.run(b, client, switched.session());
                        HandshakeResult switchedAgain = MemoryHandshake.runSwitched(a, b, client,
                                switched.session())) {
                    assertTrue(onOtherHost.completed(), onOtherHost::toString);
                    assertFalse(onOtherHost.resumed(), "b.test's ticket, issued after a switch, resumed on a.test");
                    assertTrue(onOwnHost.resumed(), "b.test's ticket did not resume on b.test");
                    assertTrue(switchedAgain.resumed(), "b.test's ticket did not resume after the same switch");
                }
            }
            assertEquals(1, onA.stats().rejectedOtherHost(), onA.stats()::toString);
            assertEquals(0, onB.stats().rejectedOtherHost(), onB.stats()::toString);
            assertEquals(2, onB.stats().resumed(), onB.stats()::toString);
            assertEquals(1, handle.stats().rejectedOtherHost(), handle.stats()::toString);
            assertEquals(0, handle.stats().unstampedTicketsRefused(), handle.stats()::toString);
        }
    }

    /**
     * Issue 18, item 1, for servers that switch contexts in a servername callback (nginx-style SNI): OpenSSL opens
     * a presented ticket before that callback runs, on the context the connection started on (the default host's),
     * so the decision follows the client's server name (SNI) instead when the options say the server switches
     * (followServerName). A connection made on a.test's context that names b.test resumes b.test's ticket,
     * counted on b.test's context, as on the context the callback switches to; named a.test (in another case, with
     * a trailing dot) or a host that no attached context serves, it is refused, counted on a.test's. A name of
     * b.test's sharing group counts as b.test. The switch itself, from a servername callback, is in the shim's
     * test (test_contexts.c, test_servername_switch_follows_sni): this harness cannot install one from Java.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTicketIsDecidedForTheHostItsServerNameNamesWhenTheServerSwitchesOnIt(TlsVersion version) {
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder().followServerName(true)
                        .shareTickets("b.test", "d.test"))) {
            ServerContext a = servers.make();
            ServerContext b = servers.make();
            TicketContext onA = handle.attach(a.address(), "a.test");
            TicketContext onB = handle.attach(b.address(), "b.test");
            try (HandshakeResult first = MemoryHandshake.runNamed(b, client, "b.test", null)) {
                assertTrue(first.hasTicket(), first::toString);
                try (HandshakeResult named = MemoryHandshake.runNamed(a, client, "b.test", first.session());
                        HandshakeResult grouped = MemoryHandshake.runNamed(a, client, "D.test", first.session());
                        HandshakeResult otherHost = MemoryHandshake.runNamed(a, client, "A.test.",
                                first.session());
                        HandshakeResult unattached = MemoryHandshake.runNamed(a, client, "c.test",
                                first.session());
                        HandshakeResult unnamed = MemoryHandshake.run(a, client, first.session())) {
                    assertTrue(named.resumed(), "b.test's ticket named b.test did not resume: " + named);
                    assertTrue(grouped.resumed(), "b.test's ticket named d.test (its group) did not resume");
                    assertTrue(otherHost.completed(), otherHost::toString);
                    assertFalse(otherHost.resumed(), "b.test's ticket named a.test resumed");
                    assertTrue(unattached.completed(), unattached::toString);
                    assertFalse(unattached.resumed(), "b.test's ticket named c.test (no context) resumed");
                    assertTrue(unnamed.completed(), unnamed::toString);
                    assertFalse(unnamed.resumed(), "b.test's ticket without a server name resumed on a.test");
                }
            }
            TicketStats statsA = onA.stats();
            TicketStats statsB = onB.stats();
            assertEquals(2, statsB.resumed(), statsB::toString);
            assertEquals(0, statsB.rejectedOtherHost(), statsB::toString);
            assertEquals(0, statsA.resumed(), statsA::toString);
            assertEquals(3, statsA.rejectedOtherHost(), statsA::toString);
            assertEquals(3, handle.stats().rejectedOtherHost(), handle.stats()::toString);
        }
    }

    /**
     * Without followServerName (the default) the server name changes nothing: a server with a listener per host
     * that does not switch on SNI must not resume b.test's ticket on a.test's context because the client named
     * b.test, which is the virtual-host confusion host binding exists for.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void theServerNameIsNotFollowedByDefault(TlsVersion version) {
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder())) {
            ServerContext a = servers.make();
            ServerContext b = servers.make();
            TicketContext onA = handle.attach(a.address(), "a.test");
            TicketContext onB = handle.attach(b.address(), "b.test");
            try (HandshakeResult first = MemoryHandshake.runNamed(b, client, "b.test", null);
                    HandshakeResult named = MemoryHandshake.runNamed(a, client, "b.test", first.session())) {
                assertTrue(first.hasTicket(), first::toString);
                assertTrue(named.completed(), named::toString);
                assertFalse(named.resumed(), "b.test's ticket resumed on a.test's listener because it named b.test");
            }
            assertEquals(1, onA.stats().rejectedOtherHost(), onA.stats()::toString);
            assertEquals(0, onB.stats().resumed(), onB.stats()::toString);
        }
    }

    /**
     * With the context a connection was made on detached, a ticket issued after the switch to b.test still
     * carries b.test's stamp: c.test refuses it. On the old shim the stamp callback ran for the detached context
     * and stamped nothing, while the key callback sealed for b.test: an unbound ticket that resumed on any host.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aTicketIssuedAfterASwitchFromADetachedContextIsStillBound(TlsVersion version) {
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder())) {
            ServerContext a = servers.make();
            ServerContext b = servers.make();
            ServerContext c = servers.make();
            TicketContext onA = handle.attach(a.address(), "a.test");
            handle.attach(b.address(), "b.test");
            TicketContext onC = handle.attach(c.address(), "c.test");
            onA.detach();
            try (HandshakeResult switched = MemoryHandshake.runSwitched(a, b, client, null)) {
                assertTrue(switched.hasTicket(), switched::toString);
                try (HandshakeResult onOtherHost = MemoryHandshake.run(c, client, switched.session());
                        HandshakeResult onOwnHost = MemoryHandshake.run(b, client, switched.session())) {
                    assertFalse(onOtherHost.resumed(), "b.test's ticket resumed on c.test: it carried no stamp");
                    assertTrue(onOwnHost.resumed(), "b.test's ticket did not resume on b.test");
                }
            }
            assertEquals(1, onC.stats().rejectedOtherHost(), onC.stats()::toString);
        }
    }

    /**
     * A pointer that is no context of the libssl TicketKeeper's shim is linked against (here zeroed memory and
     * memory whose every word points elsewhere, as a BoringSSL context's would point into BoringSSL) is refused
     * before the shim touches it beyond its method pointer, with a message that says what it must be; the memory
     * is left as it was, and the handle goes on serving its own contexts.
     */
    @Test
    void aContextOfAnotherLibsslIsRefusedUntouched() {
        TlsVersion version = TlsVersion.TLS1_3;
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder());
                Memory zeroed = new Memory(4096);
                Memory pointing = new Memory(4096)) {
            zeroed.clear();
            for (long offset = 0; offset < pointing.size(); offset += Native.POINTER_SIZE) {
                pointing.setPointer(offset, zeroed);
            }
            byte[] before = pointing.getByteArray(0, 4096);
            for (Memory foreign : List.of(zeroed, pointing)) {
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> handle.attach(Pointer.nativeValue(foreign), "foreign.test"));
                assertTrue(refused.getMessage().contains("BoringSSL")
                        && refused.getMessage().contains("another OpenSSL"), refused.getMessage());
            }
            assertTrue(java.util.Arrays.equals(new byte[4096], zeroed.getByteArray(0, 4096)), "zeroed was written");
            assertTrue(java.util.Arrays.equals(before, pointing.getByteArray(0, 4096)), "the memory was written");
            assertEquals(List.of(), handle.contexts());

            ServerContext own = servers.make();
            handle.attach(own.address(), "a.test");
            try (HandshakeResult first = MemoryHandshake.run(own, client, null);
                    HandshakeResult again = MemoryHandshake.run(own, client, first.session())) {
                assertTrue(again.resumed(), again::toString);
            }
        }
    }

    /**
     * Issue 18, item 4: a ticket bound to no host (sealed by OpenSSL's built-in keys from the same key material, as
     * nginx seals them from a shared key file) gives a full handshake on a named host by default, counted as
     * rejectedUnbound, and resumes there with acceptUnboundTickets(true); a context attached without a name (the
     * one-context install) accepts it either way.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void anUnboundTicketResumesOnANamedHostOnlyWhenTheOptionsAcceptIt(TlsVersion version) {
        byte[] material = new byte[80];
        new java.security.SecureRandom().nextBytes(material);
        TicketKey key = TicketKey.of(java.util.Arrays.copyOfRange(material, 0, 16),
                java.util.Arrays.copyOfRange(material, 16, 48), java.util.Arrays.copyOfRange(material, 48, 80));
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle strict = TicketKeeper.install(TicketKeeperOptions.builder().keys(key).build());
                TicketKeeperHandle accepting = TicketKeeper.install(TicketKeeperOptions.builder().keys(key)
                        .acceptUnboundTickets(true).build())) {
            ServerContext plain = servers.make();
            assertEquals(1, OpenSslCalls.SSL.SSL_CTX_set_tlsext_ticket_keys(plain.address(), material));
            ServerContext named = servers.make();
            ServerContext unnamed = servers.make();
            ServerContext namedAccepting = servers.make();
            TicketContext onNamed = strict.attach(named.address(), "a.test");
            TicketContext onUnnamed = strict.attach(unnamed.address());
            TicketContext onAccepting = accepting.attach(namedAccepting.address(), "a.test");
            try (HandshakeResult fromOpenSsl = MemoryHandshake.run(plain, client, null);
                    HandshakeResult refused = MemoryHandshake.run(named, client, fromOpenSsl.session());
                    HandshakeResult onUnnamedHost = MemoryHandshake.run(unnamed, client, fromOpenSsl.session());
                    HandshakeResult accepted = MemoryHandshake.run(namedAccepting, client, fromOpenSsl.session())) {
                assertTrue(fromOpenSsl.hasTicket(), fromOpenSsl::toString);
                assertTrue(refused.completed(), refused::toString);
                assertFalse(refused.resumed(), "an unbound ticket resumed on a named host by default");
                assertTrue(refused.hasTicket(), "no fresh ticket after the refusal: " + refused);
                assertTrue(onUnnamedHost.resumed(), "an unbound ticket did not resume on the unnamed context");
                assertTrue(accepted.resumed(), "acceptUnboundTickets(true) did not resume an unbound ticket");
                try (HandshakeResult own = MemoryHandshake.run(named, client, refused.session())) {
                    assertTrue(own.resumed(), "the named host's own ticket did not resume: " + own);
                }
            }
            assertEquals(1, onNamed.stats().rejectedUnbound(), onNamed.stats()::toString);
            assertEquals(0, onNamed.stats().rejectedOtherHost(), onNamed.stats()::toString);
            assertEquals(1, strict.stats().rejectedUnbound(), strict.stats()::toString);
            assertEquals(0, onUnnamed.stats().rejectedUnbound(), onUnnamed.stats()::toString);
            assertEquals(0, onAccepting.stats().rejectedUnbound(), onAccepting.stats()::toString);
            assertEquals(1, onAccepting.stats().resumed(), onAccepting.stats()::toString);
        }
    }

    /** A reload gives a host a new context while the old one still serves: tickets of either resume on both. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aHostsNewContextResumesTheOldContextsTickets(TlsVersion version) {
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder())) {
            ServerContext old = servers.make();
            handle.attach(old.address(), "a.test");
            try (HandshakeResult first = MemoryHandshake.run(old, client, null)) {
                ServerContext successor = servers.make();
                TicketContext reloaded = handle.attach(successor.address(), "a.test");
                servers.free(old);
                try (HandshakeResult resumed = MemoryHandshake.run(successor, client, first.session())) {
                    assertTrue(resumed.resumed(), "the reloaded context did not resume the old context's ticket");
                }
                assertEquals(1, reloaded.stats().resumed());
                assertEquals(List.of(reloaded), handle.contexts());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void hostsThatShareTicketsOnPurposeResumeEachOthersTickets(TlsVersion version) {
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder()
                        .shareTickets("a.test", "B.TEST"))) {
            ServerContext a = servers.make();
            ServerContext b = servers.make();
            ServerContext c = servers.make();
            handle.attach(a.address(), "a.test");
            TicketContext onB = handle.attach(b.address(), "b.test");
            TicketContext onC = handle.attach(c.address(), "c.test");
            try (HandshakeResult first = MemoryHandshake.run(a, client, null);
                    HandshakeResult onShared = MemoryHandshake.run(b, client, first.session());
                    HandshakeResult onOther = MemoryHandshake.run(c, client, first.session())) {
                assertTrue(onShared.resumed(), "a ticket did not resume across hosts that share tickets");
                assertFalse(onOther.resumed(), "a ticket resumed on a host outside the sharing group");
            }
            assertEquals(1, onB.stats().resumed());
            assertEquals(1, onC.stats().rejectedOtherHost());
        }
    }

    /** A context attached without a host name (install(sslCtx, options)) is a host of its own. */
    @Test
    void anUnnamedContextsTicketsStayOnUnnamedContexts() {
        TlsVersion version = TlsVersion.TLS1_3;
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate)) {
            ServerContext unnamed = servers.make();
            ServerContext named = servers.make();
            ServerContext alsoUnnamed = servers.make();
            try (TicketKeeperHandle handle = TicketKeeper.install(unnamed.address(),
                    TicketKeeperOptions.builder().keys(TicketKey.generate()).build())) {
                assertEquals(unnamed.address(), handle.sslCtx());
                assertEquals(Optional.empty(), handle.contexts().get(0).hostName());
                handle.attach(named.address(), "a.test");
                handle.attach(alsoUnnamed.address());
                try (HandshakeResult first = MemoryHandshake.run(unnamed, client, null);
                        HandshakeResult onNamed = MemoryHandshake.run(named, client, first.session());
                        HandshakeResult onUnnamed = MemoryHandshake.run(alsoUnnamed, client, first.session())) {
                    assertFalse(onNamed.resumed(), "an unnamed context's ticket resumed on a.test");
                    assertTrue(onUnnamed.resumed(), "an unnamed context's ticket did not resume on another");
                }
            }
        }
    }

    /** Detaching one context leaves the others serving; the detached one answers with full handshakes. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aDetachedContextGetsFullHandshakesAndTheOthersCarryOn(TlsVersion version) {
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder().shareTickets("a.test", "b.test"))) {
            ServerContext a = servers.make();
            ServerContext b = servers.make();
            TicketContext onA = handle.attach(a.address(), "a.test");
            TicketContext onB = handle.attach(b.address(), "b.test");
            try (HandshakeResult first = MemoryHandshake.run(a, client, null)) {
                onA.detach();
                assertEquals(TicketContext.State.DETACHED, onA.state());
                assertEquals(List.of(onB), handle.contexts());
                try (HandshakeResult onDetached = MemoryHandshake.run(a, client, first.session());
                        HandshakeResult onAttached = MemoryHandshake.run(b, client, first.session())) {
                    assertFalse(onDetached.resumed(), "a detached context resumed a ticket");
                    assertFalse(onDetached.hasTicket(), "a detached context issued a ticket");
                    assertTrue(onAttached.resumed(), "the other context stopped resuming");
                }
                IllegalStateException again = assertThrows(IllegalStateException.class, onA::detach);
                assertTrue(again.getMessage().contains("(a.test) is detached"), again.getMessage());
                assertThrows(IllegalStateException.class,
                        () -> onA.setSessionIdContext(SessionIdContext.of(new byte[] {1})));
                assertThrows(IllegalStateException.class, () -> handle.detach(a.address()));
                assertTrue(handle.stats().detachedCallbacks() >= 1, handle.stats()::toString);
            }
        }
    }

    /**
     * The server frees a context (the old one of a reload) without telling the handle: the handle sees it freed,
     * lets it go, never touches it, and gives its id to the next context.
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aContextFreedByItsOwnerLeavesTheHandleAndItsIdServesTheNext(TlsVersion version) {
        try (Servers servers = new Servers(version);
                ClientContext client = new ClientContext(version, certificate);
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder())) {
            ServerContext a = servers.make();
            ServerContext b = servers.make();
            TicketContext onA = handle.attach(a.address(), "a.test");
            TicketContext onB = handle.attach(b.address(), "b.test");
            try (HandshakeResult sealed = MemoryHandshake.run(a, client, null)) {
                assertTrue(sealed.hasTicket());
            }
            servers.free(a);
            assertEquals(List.of(onB), handle.contexts());
            assertEquals(TicketContext.State.FREED, onA.state());
            assertTrue(onA.stats().sealed() >= 1, "a freed context's counters stay readable");
            IllegalStateException freed = assertThrows(IllegalStateException.class,
                    () -> onA.setSessionIdContext(SessionIdContext.nginx()));
            assertTrue(freed.getMessage().contains("(a.test) was freed"), freed.getMessage());
            assertThrows(IllegalStateException.class, () -> onA.warmStart(List.of(new byte[] {0x30, 0x00})));
            assertThrows(IllegalStateException.class, onA::detach);

            ServerContext next = servers.make();
            TicketContext onNext = handle.attach(next.address(), "a.test");
            try (HandshakeResult first = MemoryHandshake.run(next, client, null);
                    HandshakeResult again = MemoryHandshake.run(next, client, first.session())) {
                assertTrue(again.resumed(), again::toString);
            }
            assertEquals(1, onNext.stats().resumed(), "the new context's counters start at zero");
            assertEquals(1, handle.stats().resumed());
        }
    }

    @Test
    void findingsAboutAContextAreReported() {
        try (ServerContext noTickets = ServerContext.builder(TlsVersion.TLS1_2, certificate).tickets(false).build();
                ServerContext tickets = ServerContext.builder(TlsVersion.TLS1_2, certificate).build();
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder())) {
            assertEquals(Set.of(TicketContext.Finding.NO_TICKET),
                    handle.attach(noTickets.address(), "a.test").findings());
            assertEquals(Set.of(), handle.attach(tickets.address(), "b.test").findings());
        }
    }

    @Test
    void attachRefusesWhatItCannotServe() {
        try (ServerContext server = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                TicketKeeperHandle handle = install(TicketKeeperOptions.builder());
                TicketKeeperHandle other = install(TicketKeeperOptions.builder())) {
            assertThrows(IllegalArgumentException.class, () -> handle.attach(0, "a.test"));
            IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                    () -> handle.attach(server.address(), "a test"));
            assertTrue(blank.getMessage().contains("'a test'"), blank.getMessage());
            assertThrows(IllegalArgumentException.class, () -> handle.attach(server.address(), "."));
            IllegalStateException noContext = assertThrows(IllegalStateException.class, handle::sslCtx);
            assertTrue(noContext.getMessage().contains("without a context"), noContext.getMessage());

            handle.attach(server.address(), "a.test");
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> handle.attach(server.address(), "b.test"));
            assertTrue(twice.getMessage().contains("attached to this handle already"), twice.getMessage());
            TicketKeeperException elsewhere = assertThrows(TicketKeeperException.class,
                    () -> other.attach(server.address(), "a.test"));
            assertTrue(elsewhere.getMessage().contains("already has a TicketKeeper handle"), elsewhere.getMessage());

            IllegalArgumentException twoGroups = assertThrows(IllegalArgumentException.class,
                    () -> TicketKeeperOptions.builder().shareTickets("a.test", "b.test").shareTickets("B.test", "c"));
            assertTrue(twoGroups.getMessage().contains("'b.test'"), twoGroups.getMessage());
            assertThrows(IllegalArgumentException.class, () -> TicketKeeperOptions.builder().shareTickets("a.test"));

        }
    }

    @Test
    void aClosedHandleAttachesNothingAndItsContextsAreClosed() {
        try (ServerContext server = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
                ServerContext later = ServerContext.builder(TlsVersion.TLS1_3, certificate).build()) {
            TicketKeeperHandle handle = install(TicketKeeperOptions.builder());
            TicketContext context = handle.attach(server.address(), "a.test");
            handle.close();
            assertEquals(TicketContext.State.CLOSED, context.state());
            assertThrows(IllegalStateException.class, () -> handle.attach(later.address(), "c.test"));
            assertEquals(List.of(), handle.contexts());
        }
    }
}

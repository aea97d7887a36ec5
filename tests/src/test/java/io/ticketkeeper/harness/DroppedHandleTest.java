package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.session.InMemorySessionStore;
import io.ticketkeeper.session.SessionCacheOptions;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 18, item 2: a handle its application drops without {@code close()} keeps answering every upcall after the
 * garbage collector ran. On the JNA backend only the installation held JNA's callbacks (which JNA itself holds
 * weakly), and a collected callback answered 0: an abort for the session upcall, slot 0 for seal, no stamp. The
 * class runs three times (tests/pom.xml): on the default backend (FFM on Java 25, JNA with JNI upcalls on 17, its
 * session cache upcalls JNA callbacks), with {@code -Dticketkeeper.jna.upcalls=jna}, and with the JNA backend and
 * its callbacks forced on any Java.
 */
class DroppedHandleTest {
    private static SelfSignedCertificate certificate;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("dropped.test");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    /** Installs on the three contexts and returns nothing but a weak reference: no strong one survives the call. */
    private static WeakReference<TicketKeeperHandle> installAndDrop(ServerContext a, ServerContext b,
            ServerContext stateful, InMemorySessionStore store) {
        TicketKeeperHandle handle = TicketKeeper.install(TicketKeeperOptions.builder().keys(TicketKey.generate())
                .sessionCache(SessionCacheOptions.of(store)).build());
        handle.attach(a.address(), "a.test");
        handle.attach(b.address(), "b.test");
        handle.attach(stateful.address(), "stateful.test");
        return new WeakReference<>(handle);
    }

    /** Runs the collector until {@code dropped} is gone, allocating in between to press it, then a few times more. */
    private static void collect(WeakReference<?> dropped) {
        List<byte[]> pressure = new ArrayList<>();
        for (int round = 0; round < 50 && dropped.get() != null; round++) {
            for (int i = 0; i < 64; i++) {
                pressure.add(new byte[64 * 1024]);
            }
            pressure.clear();
            System.gc();
        }
        assertNull(dropped.get(), "the handle is still reachable: the test proves nothing");
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aHandleDroppedWithoutCloseStillResumesAndStillBindsTicketsToTheirHost(TlsVersion version) {
        InMemorySessionStore store = InMemorySessionStore.builder().maximumSize(100).build();
        try (ServerContext a = ServerContext.builder(version, certificate).build();
                ServerContext b = ServerContext.builder(version, certificate).build();
                ServerContext stateful = ServerContext.builder(version, certificate).tickets(false).build();
                ClientContext client = new ClientContext(version, certificate)) {
            WeakReference<TicketKeeperHandle> dropped = installAndDrop(a, b, stateful, store);
            try (HandshakeResult before = MemoryHandshake.run(a, client, null)) {
                assertTrue(before.hasTicket(), before::toString);
                collect(dropped);
                try (HandshakeResult resumed = MemoryHandshake.run(a, client, before.session())) {
                    assertTrue(resumed.completed(), "aborted after the GC: " + resumed);
                    assertTrue(resumed.resumed(), "a ticket sealed before the GC did not resume: " + resumed);
                }
            }
            try (HandshakeResult first = MemoryHandshake.run(a, client, null);
                    HandshakeResult again = MemoryHandshake.run(a, client, first.session());
                    HandshakeResult elsewhere = MemoryHandshake.run(b, client, first.session())) {
                assertTrue(first.completed() && first.hasTicket(), "no ticket after the GC: " + first);
                assertTrue(again.completed() && again.resumed(), "a ticket sealed after the GC did not resume: " + again);
                assertTrue(elsewhere.completed(), "aborted after the GC: " + elsewhere);
                assertFalse(elsewhere.resumed(), "a ticket sealed after the GC is no longer bound to a.test");
            }
            try (HandshakeResult first = MemoryHandshake.run(stateful, client, null);
                    HandshakeResult again = MemoryHandshake.run(stateful, client, first.session())) {
                assertTrue(first.completed(), "aborted after the GC: " + first);
                assertTrue(again.completed(), "aborted after the GC: " + again);
                assertTrue(again.resumed(), "the session cache no longer answers after the GC: " + again);
            }
        }
    }
}

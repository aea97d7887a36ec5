package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Closing the handle, and rotating keys, while two other threads handshake in a loop: the JVM must live on and
 * every handshake must complete (resumed before the close, full after it). Once with tickets, once with tickets
 * off and a session store (session ids, TLS 1.3 stateful tickets), so that the cache upcalls race the close too.
 */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class CloseWhileHandshakingTest {
    private static final int ROUNDS_BEFORE = 150;
    private static final int ROUNDS_AFTER = 150;

    static Stream<Arguments> versionsAndCaches() {
        return Stream.of(TlsVersion.values())
                .flatMap(version -> Stream.of(Arguments.of(version, false), Arguments.of(version, true)));
    }

    @ParameterizedTest(name = "{0}, session store {1}")
    @MethodSource("versionsAndCaches")
    void closingWhileTwoThreadsHandshakeIsSafe(TlsVersion version, boolean sessionStore) throws Exception {
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("close-test");
                ServerContext server = ServerContext.builder(version, certificate).tickets(!sessionStore).build()) {
            TicketKeeperHandle handle = TicketKeeper.install(server.address(), sessionStore
                    ? TicketKeeperOptions.builder()
                            .sessionCache(SessionCacheOptions.of(SessionStore.inMemory(1000))).build()
                    : TicketKeeperOptions.defaults());
            AtomicInteger completed = new AtomicInteger();
            AtomicInteger resumed = new AtomicInteger();
            AtomicReference<String> failure = new AtomicReference<>();
            CountDownLatch warmedUp = new CountDownLatch(2);
            CountDownLatch closed = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread thread = new Thread(() -> loop(server, certificate, version, handle, warmedUp, closed,
                        completed, resumed, failure), "handshaker-" + t);
                threads.add(thread);
                thread.start();
            }
            warmedUp.await();
            for (int rotation = 0; rotation < 20; rotation++) {
                handle.setKeys(TicketKey.generate(), handle.keys().key(0));
            }
            handle.close();
            closed.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(null, failure.get());
            assertEquals(2 * (ROUNDS_BEFORE + ROUNDS_AFTER), completed.get());
            assertTrue(resumed.get() > 0, "nothing resumed before the close");
        }
    }

    private static void loop(ServerContext server, SelfSignedCertificate certificate, TlsVersion version,
            TicketKeeperHandle handle, CountDownLatch warmedUp, CountDownLatch closed, AtomicInteger completed,
            AtomicInteger resumed, AtomicReference<String> failure) {
        try (ResumingClient client = new ResumingClient(version, certificate, completed, resumed)) {
            for (int round = 0; round < ROUNDS_BEFORE + ROUNDS_AFTER; round++) {
                if (round == ROUNDS_BEFORE / 2) {
                    warmedUp.countDown();
                }
                if (round == ROUNDS_BEFORE) {
                    closed.await();
                }
                HandshakeResult result = client.handshake(server);
                if (!result.completed()) {
                    failure.compareAndSet(null, "round " + round + ": " + result.error());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            warmedUp.countDown();
        }
    }
}

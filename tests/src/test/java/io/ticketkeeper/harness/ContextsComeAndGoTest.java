package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ClientSession;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server's reloads as the handle sees them: contexts for one host join, serve and leave (detached, or freed by
 * their owner while a handshake on them is still running, so OpenSSL frees them on the handshake thread), while
 * two threads handshake without pause on another host's context; then the handle closes under those threads.
 * Every handshake completes, every ticket of the reloaded host resumes on the context that replaced the one that
 * sealed it, and the handle ends with no context but the steady one.
 */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class ContextsComeAndGoTest {
    private static final int RELOADS = 20;

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void contextsJoinAndLeaveWhileOthersHandshakeThenTheHandleCloses(TlsVersion version) throws Exception {
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("a.test");
                ServerContext steady = ServerContext.builder(version, certificate).build()) {
            TicketKeeperHandle handle = TicketKeeper.install(
                    TicketKeeperOptions.builder().keys(TicketKey.generate()).build());
            TicketContext steadyContext = handle.attach(steady.address(), "a.test");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger completed = new AtomicInteger();
            AtomicInteger resumed = new AtomicInteger();
            AtomicReference<String> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread thread = new Thread(() -> handshakeUntil(stop, steady, certificate, version, completed,
                        resumed, failure), "steady-" + t);
                threads.add(thread);
                thread.start();
            }

            try (ClientContext client = new ClientContext(version, certificate)) {
                ClientSession previous = null;
                for (int reload = 0; reload < RELOADS; reload++) {
                    ServerContext server = ServerContext.builder(version, certificate).build();
                    TicketContext context = handle.attach(server.address(), "b.test");
                    if (previous != null) {
                        try (HandshakeResult old = MemoryHandshake.run(server, client, previous)) {
                            assertTrue(old.resumed(), "reload " + reload + ": the previous context's ticket did "
                                    + "not resume: " + old);
                        }
                        previous.close();
                    }
                    HandshakeResult fresh = MemoryHandshake.run(server, client, null);
                    assertTrue(fresh.hasTicket(), fresh::toString);
                    previous = fresh.session();
                    if (reload % 2 == 0) {
                        context.detach();
                        server.close();
                    } else {
                        freeWhileHandshaking(server, client);
                        assertEquals(TicketContext.State.FREED, context.state());
                    }
                    assertEquals(List.of(steadyContext), handle.contexts());
                }
                if (previous != null) {
                    previous.close();
                }
            }
            assertTrue(resumed.get() > 0, "the steady context resumed nothing");
            handle.close();
            int atClose = completed.get();
            waitFor(() -> completed.get() > atClose + 20);
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            assertNull(failure.get());
            assertEquals(TicketContext.State.CLOSED, steadyContext.state());
            assertEquals(0, handle.stats().upcallErrors());
            assertTrue(completed.get() > atClose + 20, "the steady threads did not handshake on after the close");
        }
    }

    /**
     * Drops the owner's reference to {@code server} while a handshake on it is between SSL_new and its end: the
     * handshake finishes on a context only its SSL holds, and OpenSSL frees the context on that thread.
     */
    private static void freeWhileHandshaking(ServerContext server, ClientContext client) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch freed = new CountDownLatch(1);
        CompletableFuture<Boolean> handshake = CompletableFuture.supplyAsync(() -> {
            try (HandshakeResult result = MemoryHandshake.runPrepared(server, client, ssl -> {
                started.countDown();
                await(freed);
            })) {
                return result.completed();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS), "the handshake did not start");
        server.close();
        freed.countDown();
        assertTrue(handshake.get(10, TimeUnit.SECONDS), "the handshake on a context its owner freed failed");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static void handshakeUntil(AtomicBoolean stop, ServerContext server, SelfSignedCertificate certificate,
            TlsVersion version, AtomicInteger completed, AtomicInteger resumed, AtomicReference<String> failure) {
        try (ResumingClient client = new ResumingClient(version, certificate, completed, resumed)) {
            while (!stop.get()) {
                HandshakeResult result = client.handshake(server);
                if (!result.completed()) {
                    failure.compareAndSet(null, result.toString());
                    return;
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t.toString());
        }
    }
}

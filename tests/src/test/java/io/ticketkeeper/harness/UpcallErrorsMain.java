package io.ticketkeeper.harness;

import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketSession;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.session.InMemorySessionStore;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.SessionStore;

import java.time.Duration;
import java.util.Optional;

/**
 * The child JVM of {@link UpcallErrorsTest}: a policy and a session store that throw an {@link Error} (constructed:
 * {@code soe} a StackOverflowError, {@code oom} an OutOfMemoryError) from every upcall once armed, under whatever
 * logger the JVM has. Prints one RESULT line; the JVM must live to print it.
 */
public final class UpcallErrorsMain {
    private static volatile boolean armed;
    private static String mode;

    private UpcallErrorsMain() {
    }

    private static Error error(String where) {
        return mode.equals("oom") ? new OutOfMemoryError("constructed in " + where)
                : new StackOverflowError("constructed in " + where);
    }

    private static final class FailingPolicy implements TicketPolicy {
        private final TicketPolicy defaults = TicketPolicy.defaults();

        @Override
        public int selectKey(KeySnapshot keys, long nowMillis) {
            if (armed) {
                throw error("selectKey");
            }
            return defaults.selectKey(keys, nowMillis);
        }

        @Override
        public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
            if (armed) {
                throw error("decideKey");
            }
            return defaults.decideKey(keys, slot, nowMillis);
        }

        @Override
        public SessionDecision decideSession(TicketSession session) {
            if (armed) {
                throw error("decideSession");
            }
            return defaults.decideSession(session);
        }
    }

    private static final class FailingStore implements SessionStore {
        private final SessionStore store = InMemorySessionStore.builder().build();

        @Override
        public void put(SessionId id, byte[] session, Duration ttl) {
            if (armed) {
                throw error("put");
            }
            store.put(id, session, ttl);
        }

        @Override
        public Optional<byte[]> get(SessionId id) {
            if (armed) {
                throw error("get");
            }
            return store.get(id);
        }

        @Override
        public void remove(SessionId id) {
            if (armed) {
                throw error("remove");
            }
            store.remove(id);
        }
    }

    public static void main(String[] args) {
        mode = args[0];
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("errors.test");
                ServerContext tickets = ServerContext.builder(TlsVersion.TLS1_2, certificate).build();
                ServerContext stateful = ServerContext.builder(TlsVersion.TLS1_2, certificate).tickets(false).build();
                ClientContext client = new ClientContext(TlsVersion.TLS1_2, certificate);
                TicketKeeperHandle handle = TicketKeeper.install(TicketKeeperOptions.builder()
                        .policy(new FailingPolicy()).sessionCache(SessionCacheOptions.of(new FailingStore())).build())) {
            handle.attach(tickets.address(), "a.test");
            handle.attach(stateful.address(), "a.test");
            try (HandshakeResult ticket = MemoryHandshake.run(tickets, client, null);
                    HandshakeResult session = MemoryHandshake.run(stateful, client, null)) {
                armed = true;
                ThrowingLoggerFinder.armed = true;
                try (HandshakeResult withTicket = MemoryHandshake.run(tickets, client, ticket.session());
                        HandshakeResult withSession = MemoryHandshake.run(stateful, client, session.session());
                        HandshakeResult fresh = MemoryHandshake.run(stateful, client, null)) {
                    armed = false;
                    ThrowingLoggerFinder.armed = false;
                    TicketStats stats = handle.stats();
                    SessionCacheStats cache = handle.sessionCacheStats().orElseThrow();
                    System.out.println("RESULT backend=" + TicketKeeper.backend() + " before=" + ticket.hasTicket()
                            + "," + session.completed() + " completed=" + withTicket.completed() + ","
                            + withSession.completed() + "," + fresh.completed() + " resumed=" + withTicket.resumed()
                            + "," + withSession.resumed() + " ticket=" + withTicket.hasTicket() + " policyErrors="
                            + (stats.policyErrors() + stats.upcallErrors() > 0) + " storeFailures="
                            + (cache.storeFailures() > 0) + " aborted=" + stats.aborted());
                }
            }
        }
    }
}

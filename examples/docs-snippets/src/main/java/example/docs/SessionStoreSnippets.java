package example.docs;

import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionStore;

import java.time.Duration;
import java.util.List;

/** The code of docs/session-stores.md. */
final class SessionStoreSnippets {
    private SessionStoreSnippets() {
    }

    static void stores() {
        // tag::stores[]
        // One server: a bounded in-memory store (Caffeine) with per-session TTL and hit/miss/eviction counters.
        TicketKeeperOptions.builder()
                .sessionCache(SessionCacheOptions.of(SessionStore.inMemory(50_000)))
                .build();

        // A fleet: one Redis, entries sealed with AES-256-GCM (key id in each entry, session id bound as AAD).
        // The first key seals, every listed key opens: rotate by putting a new key first.
        RedisSessionStore redis = RedisSessionStore.builder("redis://10.0.0.5:6379",
                        List.of(SealingKey.parse(System.getenv("TK_SEALING_KEY")) /* "k1:<32 bytes base64>" */))
                .timeout(Duration.ofMillis(50))   // Redis slow or down -> miss after 50 ms, never a hang
                .build();
        TicketKeeperOptions.builder()
                .sessionCache(SessionCacheOptions.builder(redis)
                        .singleUse(true)              // GETDEL: a TLS 1.3 stateful ticket resumes once, fleet-wide
                        .build())
                .build();
        // end::stores[]
    }
}

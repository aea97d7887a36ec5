package io.ticketkeeper.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.SessionStore;
import io.ticketkeeper.session.SessionStores;
import io.ticketkeeper.session.redis.SealingKey;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' own redis-server: it serves the Redis session store, and is gone once closed. */
class LocalRedisTest {
    @Test
    void itServesTheSessionStoreAndStopsOnClose() throws Exception {
        byte[] session = "a session".getBytes(StandardCharsets.UTF_8);
        SessionId id = SessionId.of(new byte[] {1, 2, 3});
        int port;
        try (LocalRedis redis = LocalRedis.start()) {
            port = URI.create(redis.uri()).getPort();
            SessionStore store = SessionStores.fromSpec(redis.uri(), List.of(SealingKey.generate("t"))).orElseThrow();
            try {
                store.put(id, session, Duration.ofMinutes(1));
                assertArrayEquals(session, store.get(id).orElseThrow());
            } finally {
                if (store instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
        }
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }
}

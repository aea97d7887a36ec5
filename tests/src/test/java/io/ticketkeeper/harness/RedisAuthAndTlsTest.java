package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.KeySourceHealth;
import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis AUTH (requirepass, an ACL user) and TLS ({@code rediss://} with a CA file) for the session store and the
 * fleet key source alike, against real redis-servers configured so; and the clear errors when a password, a user or
 * a certificate is wrong.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisAuthAndTlsTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final SealingKey KEY = SealingKey.generate("k1");
    private static final SessionId ID = SessionId.of(new byte[] {4, 2});
    private static final byte[] SESSION = {0x30, 0x03, 2, 1, 1};

    @TempDir
    Path directory;

    private static RedisSessionStore.Builder store(String uri) {
        return RedisSessionStore.builder(uri, List.of(KEY)).timeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(2));
    }

    private static FleetKeySource.Builder fleet(String uri) {
        return FleetKeySource.builder(uri, List.of(KEY)).rotateEvery(Duration.ofSeconds(10))
                .maxTicketAge(Duration.ofSeconds(30)).timeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(2));
    }

    /** The store keeps and returns a session: every command passed the server's checks. */
    private static void works(RedisSessionStore.Builder builder) {
        try (RedisSessionStore store = builder.build()) {
            store.put(ID, SESSION, Duration.ofSeconds(30));
            assertArrayEquals(SESSION, store.get(ID).orElseThrow(), store.stats().toString());
        }
    }

    /** The source made or read the fleet's keys (three, or more once a period has passed) and can write. */
    private static void works(FleetKeySource.Builder builder) {
        try (FleetKeySource source = builder.build()) {
            KeySourceHealth health = source.health();
            assertEquals(KeySourceHealth.State.UP, health.state(), health.toString());
            assertTrue(health.detail().contains("writes"), health.detail());
            int keys = source.refresh(System.currentTimeMillis(), List.of()).size();
            assertTrue(keys >= 3, keys + " keys");
        }
    }

    private static String refused(Runnable build) {
        return assertThrows(IllegalStateException.class, build::run).getMessage();
    }

    @Test
    void aPasswordGivenApartOrInTheUriOpensAServerWithRequirepass() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", PASSWORD)) {
            String uri = redis.uri();
            works(store(uri).credentials(null, PASSWORD.toCharArray()));
            works(fleet(uri).credentials(null, PASSWORD.toCharArray()));
            String inUri = "redis://:" + PASSWORD.replace(" ", "%20") + "@127.0.0.1:" + redis.port();
            works(store(inUri));
            works(fleet(inUri));

            String wrong = refused(() -> fleet(uri).credentials(null, "wrong".toCharArray()).build());
            assertTrue(wrong.contains("WRONGPASS") && wrong.contains("127.0.0.1:" + redis.port()), wrong);
            assertFalse(wrong.contains("wrong"), "the password is in the message: " + wrong);
            assertTrue(refused(() -> store(uri).credentials(null, "wrong".toCharArray()).build())
                    .contains("WRONGPASS"));
            assertTrue(refused(() -> fleet(uri).build()).contains("NOAUTH"));
        }
    }

    @Test
    void anAclUserWithRightsOnTheKeyPrefixesIsEnough() throws Exception {
        try (RedisServer redis = RedisServer.start("--user", "default", "off", "--user", "ticketkeeper", "on",
                ">" + PASSWORD, "~ticketkeeper:*", "&ticketkeeper:*", "+@all", "-@dangerous", "-@admin")) {
            String uri = redis.uri();
            works(store(uri).credentials("ticketkeeper", PASSWORD.toCharArray()));
            works(fleet(uri).credentials("ticketkeeper", PASSWORD.toCharArray()));
            works(fleet("redis://ticketkeeper:" + PASSWORD.replace(" ", "%20") + "@127.0.0.1:" + redis.port()));

            String stranger = refused(() -> fleet(uri).credentials("stranger", PASSWORD.toCharArray()).build());
            assertTrue(stranger.contains("WRONGPASS") && stranger.contains(" as stranger"), stranger);
            String outsidePrefix = refused(() -> fleet(uri).credentials("ticketkeeper", PASSWORD.toCharArray())
                    .keyPrefix("elsewhere:").build());
            assertTrue(outsidePrefix.contains("NOPERM"), outsidePrefix);
        }
    }

    @Test
    void tlsWithTheServersCaFileWorksAndAnyOtherCertificateIsRefused() throws Exception {
        LocalhostPem server = LocalhostPem.create(directory, "redis");
        LocalhostPem other = LocalhostPem.create(directory, "other");
        try (RedisServer redis = RedisServer.startTls(server.certificate(), server.key(), "--requirepass", PASSWORD)) {
            String uri = redis.uri();
            assertTrue(uri.startsWith("rediss://"), uri);
            works(store(uri).trustedCertificates(server.certificate()).credentials(null, PASSWORD.toCharArray()));
            works(fleet(uri).trustedCertificates(server.certificate()).credentials(null, PASSWORD.toCharArray()));

            String untrusted = refused(() -> fleet(uri).credentials(null, PASSWORD.toCharArray()).build());
            assertTrue(untrusted.contains("rediss://localhost:" + redis.port()), untrusted);
            assertTrue(untrusted.toLowerCase().contains("certif") || untrusted.contains("PKIX"), untrusted);
            String otherCa = refused(() -> store(uri).trustedCertificates(other.certificate())
                    .credentials(null, PASSWORD.toCharArray()).build());
            assertTrue(otherCa.toLowerCase().contains("certif") || otherCa.contains("PKIX"), otherCa);
            String plain = "redis://127.0.0.1:" + redis.port();
            IllegalArgumentException caForPlain = assertThrows(IllegalArgumentException.class,
                    () -> fleet(plain).trustedCertificates(server.certificate()).build());
            assertTrue(caForPlain.getMessage().contains("use rediss://"), caForPlain.getMessage());
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> fleet("rediss://localhost:1").trustedCertificates(directory.resolve("absent.pem")));
        assertTrue(missing.getMessage().contains("absent.pem is unreadable: no such file"), missing.getMessage());
    }
}

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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ACL rights docs/fleet.md lists, and nothing more, on one real redis-server: an ACL user with only those
 * commands ({@code -@all} and each one added), only the fleet's and the store's key patterns and the fleet's channel,
 * runs the fleet (a new fleet: bootstrap, keys made and announced, a second server reading them) and the session
 * store (put, get, take, remove). Then each command the fleet's start needs is taken away in turn: the source is
 * refused at build, and the message names Redis's NOPERM and the command.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisMinimalAclTest {
    private static final String PASSWORD = "acl-only-what-is-listed";
    private static final SealingKey KEY = SealingKey.generate("k1");

    /** What docs/fleet.md lists for a single Redis (WAIT is for Sentinel and Cluster). */
    static final List<String> FLEET = List.of("hgetall", "hsetnx", "eval", "exists", "hset", "pexpireat", "mget",
            "get", "set", "publish", "subscribe");
    static final List<String> STORE = List.of("set", "get", "getdel", "del");
    /** What Lettuce sends on connecting (CLIENT SETINFO too, on Redis 7.2 and later: this one is 7.0, which lacks it). */
    static final List<String> CONNECTING = List.of("hello", "auth", "client|setname", "ping");
    /** The commands a new fleet's first exchange sends (HSETNX and GET only when a wrapping key or a race is new). */
    static final List<String> FLEET_START = List.of("hgetall", "eval", "exists", "hset", "pexpireat", "mget", "set",
            "publish", "subscribe");

    private static List<String> user(String name) {
        List<String> rules = new ArrayList<>(List.of("--user", "default", "on", "nopass", "~*", "&*", "+@all",
                "--user", name, "on", ">" + PASSWORD, "~ticketkeeper:fleet:*", "~ticketkeeper:session:*",
                "resetchannels", "&ticketkeeper:fleet:events", "-@all"));
        for (List<String> commands : List.of(FLEET, STORE, CONNECTING)) {
            commands.forEach(command -> rules.add("+" + command));
        }
        return rules;
    }

    private static FleetKeySource.Builder fleet(RedisServer redis) {
        return FleetKeySource.builder(redis.uri(), List.of(KEY)).rotateEvery(Duration.ofSeconds(10))
                .maxTicketAge(Duration.ofSeconds(30)).timeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(2)).credentials("tk", PASSWORD.toCharArray());
    }

    @Test
    void theListedCommandsAreEnoughAndEachOneTheFleetNeedsIsNamedWhenMissing() throws Exception {
        try (RedisServer redis = RedisServer.start(user("tk").toArray(new String[0]))) {
            // The fleet: a new fleet is made by one source and read by a second, which hears announcements.
            try (FleetKeySource first = fleet(redis).build(); FleetKeySource second = fleet(redis).build()) {
                for (FleetKeySource source : List.of(first, second)) {
                    KeySourceHealth health = source.health();
                    assertEquals(KeySourceHealth.State.UP, health.state(), health.toString());
                    assertTrue(health.detail().contains("writes"), health.detail());
                }
                long now = System.currentTimeMillis();
                assertEquals(first.refresh(now, List.of()).size(), second.refresh(now, List.of()).size());
                assertTrue(first.refresh(now, List.of()).size() >= 3);
            }
            // The session store: every command it sends.
            try (RedisSessionStore store = RedisSessionStore.builder(redis.uri(), List.of(KEY))
                    .credentials("tk", PASSWORD.toCharArray()).timeout(Duration.ofSeconds(2))
                    .connectTimeout(Duration.ofSeconds(2)).build()) {
                byte[] session = {0x30, 0x03, 2, 1, 1};
                for (int i = 0; i < 3; i++) {
                    store.put(id(i), session, Duration.ofSeconds(30));
                }
                assertArrayEquals(session, store.get(id(0)).orElseThrow(), store.stats().toString());
                assertArrayEquals(session, store.take(id(1)).orElseThrow(), store.stats().toString());
                assertTrue(store.get(id(1)).isEmpty());
                store.remove(id(2));
                assertTrue(store.get(id(2)).isEmpty());
                assertEquals(0, store.stats().failures(), store.stats().toString());
            }
            // Each command a new fleet's start needs, taken away: refused, and the message says which.
            for (String command : FLEET_START) {
                RedisCli.run(redis.port(), "FLUSHALL");
                RedisCli.run(redis.port(), "ACL", "SETUSER", "tk", "-" + command);
                try {
                    String refused = assertThrows(IllegalStateException.class, () -> fleet(redis).build(),
                            "without " + command).getMessage();
                    // A command the bootstrap script runs is refused inside it, where Redis does not name it: the
                    // message names the script's commands.
                    boolean inScript = List.of("exists", "hset", "pexpireat").contains(command);
                    assertTrue(inScript ? refused.contains("can't run this command") && refused.contains("EXISTS, "
                            + "HSET, PEXPIREAT, HGETALL") : refused.contains("NOPERM") && refused.toLowerCase()
                            .contains("'" + command + "'"), "without " + command + ": " + refused);
                    assertFalse(refused.contains(PASSWORD), refused);
                    System.out.println("without " + command + ": " + refused);
                } finally {
                    RedisCli.run(redis.port(), "ACL", "SETUSER", "tk", "+" + command);
                }
            }
        }
    }

    private static SessionId id(int i) {
        return SessionId.of(new byte[] {7, (byte) i});
    }
}

package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.ReplayAnswer;
import io.ticketkeeper.session.redis.RedisReplayRecord;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The fleet's early data record against a real redis-server: SET NX PX shared by two records (two servers), the
 * entry's expiry, and a stalled or stopped Redis answered as unavailable within the bound.
 */
class RedisReplayRecordTest {
    private static final long TTL = 11_000;

    private static byte[] random(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return bytes;
    }

    /**
     * A connection's first commands can take longer than 20 ms (class loading, JIT): they are refused as
     * unavailable, which is the bound working, not what this test looks at.
     */
    private static void warmUp(RedisReplayRecord record) {
        for (int i = 0; i < 50; i++) {
            long now = System.currentTimeMillis();
            if (record.record(random(100 + i), TTL, now, now) == ReplayAnswer.FIRST) {
                return;
            }
        }
    }

    @Test
    void twoServersShareTheRecordAndAnEntryExpires() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisReplayRecord a = RedisReplayRecord.builder(redis.uri()).build();
                RedisReplayRecord b = RedisReplayRecord.builder(redis.uri()).build()) {
            warmUp(a);
            warmUp(b);
            long now = System.currentTimeMillis();
            assertEquals(ReplayAnswer.FIRST, a.record(random(1), TTL, now, now));
            assertEquals(ReplayAnswer.REPLAY, b.record(random(1), TTL, now, now));
            assertEquals(ReplayAnswer.REPLAY, a.record(random(1), TTL, now, now));
            assertEquals(ReplayAnswer.FIRST, b.record(random(2), 200, now, now));
            Thread.sleep(400);
            assertEquals(ReplayAnswer.FIRST, a.record(random(2), 200, now, now));
        }
    }

    @Test
    void aStalledRedisIsUnavailableWithinTheBoundThenOlderTicketsWaitOutAWindow() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisReplayRecord record = RedisReplayRecord.builder(redis.uri()).wait(Duration.ofMillis(20))
                        .build()) {
            warmUp(record);
            long issued = System.currentTimeMillis();
            assertEquals(ReplayAnswer.FIRST, record.record(random(1), TTL, issued, issued));
            long timeoutsBefore = record.timeouts();
            redis.pause();
            long took;
            ReplayAnswer stalled;
            try {
                long started = System.nanoTime();
                stalled = record.record(random(2), TTL, issued, System.currentTimeMillis());
                took = (System.nanoTime() - started) / 1_000_000;
            } finally {
                redis.resume();
            }
            assertEquals(ReplayAnswer.UNAVAILABLE, stalled);
            assertTrue(took < 200, "waited " + took + " ms");
            assertEquals(timeoutsBefore + 1, record.timeouts());
            long now = System.currentTimeMillis();
            // Redis may have lost entries while it failed: a ticket from before the failure waits a window ...
            assertEquals(ReplayAnswer.STARTING, record.record(random(3), TTL, issued, now));
            // ... one issued since is checked.
            assertEquals(ReplayAnswer.FIRST, record.record(random(3), TTL, now, now));
            redis.kill();
            assertEquals(ReplayAnswer.UNAVAILABLE, record.record(random(4), TTL, now + 1, now + 1));
        }
    }
}

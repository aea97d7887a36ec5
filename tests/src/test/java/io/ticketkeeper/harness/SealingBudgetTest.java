package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.internal.SealedEntries;
import io.ticketkeeper.session.redis.SealingKey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 11: AES-GCM with random 96-bit nonces has a budget of about 2^32 seals per key. A key warns once
 * at 2^31 seals, naming its id and never its secret, and refuses to seal past 2^32; opening goes on. The count
 * starts near the budget (the key's package-private {@code sealsSoFar}) instead of making 2^32 seals.
 */
class SealingBudgetTest {
    /** Starts {@code key}'s count at {@code count} seals. */
    static void sealsSoFar(SealingKey key, long count) throws ReflectiveOperationException {
        java.lang.reflect.Method method = SealingKey.class.getDeclaredMethod("sealsSoFar", long.class);
        method.setAccessible(true);
        method.invoke(key, count);
    }

    private static final byte[] CONTEXT = "session id".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLAINTEXT = "a session".getBytes(StandardCharsets.UTF_8);

    private static final class Captured extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aKeyWarnsOnceAtHalfItsBudgetNamingItsIdOnly() throws Exception {
        byte[] material = new byte[SealingKey.KEY_LENGTH];
        new java.util.Random(11).nextBytes(material);
        SealingKey key = SealingKey.of("budget-k1", material);
        SealedEntries entries = SealedEntries.of("test", List.of(key));
        Captured captured = new Captured();
        Logger logger = Logger.getLogger("io.ticketkeeper");
        logger.addHandler(captured);
        try {
            sealsSoFar(key, SealingKey.WARN_AT - 2);
            entries.seal(CONTEXT, PLAINTEXT);
            assertTrue(captured.records.isEmpty(), "warned before half the budget");
            for (int i = 0; i < 3; i++) {
                entries.seal(CONTEXT, PLAINTEXT);
            }
        } finally {
            logger.removeHandler(captured);
        }
        assertEquals(1, captured.records.size(), "one warning, not one per seal");
        String message = captured.records.get(0).getMessage();
        assertTrue(message.contains("sealing key 'budget-k1' has sealed 2147483648 entries"), message);
        assertTrue(message.contains("rotate"), message);
        assertFalse(message.contains(Base64.getEncoder().encodeToString(material)), message);
        assertEquals(SealingKey.WARN_AT + 2, key.seals());
    }

    @Test
    void aKeyRefusesToSealPastItsBudgetButStillOpens() throws Exception {
        SealingKey key = SealingKey.generate("k1");
        SealedEntries entries = SealedEntries.of("test", List.of(key));
        sealsSoFar(key, SealingKey.SEAL_BUDGET - 1);
        byte[] last = entries.seal(CONTEXT, PLAINTEXT);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> entries.seal(CONTEXT, PLAINTEXT));
        assertTrue(refused.getMessage().startsWith("sealing key 'k1' has sealed 4294967296 entries (2^32)"),
                refused.getMessage());
        assertArrayEquals(PLAINTEXT, entries.open(CONTEXT, last), "a key past its budget must still open");
        SealingKey next = SealingKey.generate("k2");
        SealedEntries rotated = SealedEntries.of("test", List.of(next, key));
        assertArrayEquals(PLAINTEXT, rotated.open(CONTEXT, rotated.seal(CONTEXT, PLAINTEXT)));
        assertArrayEquals(PLAINTEXT, rotated.open(CONTEXT, last), "the old key opens after the rotation");
        assertEquals(SealingKey.SEAL_BUDGET, key.seals());
    }
}

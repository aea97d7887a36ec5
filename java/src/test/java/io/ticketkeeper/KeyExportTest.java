package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.internal.Hkdf;
import io.ticketkeeper.session.InMemorySessionStore;
import io.ticketkeeper.session.SessionCacheOptions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Key-management mode without a TLS stack: what {@link TicketKeeper#manageKeys} hands its exporter, when, in which
 * order, derived how, and wiped after.
 */
class KeyExportTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String LABEL = "test stack";

    /** The keys of one export, copied out as hex (name|hmac|aes), and the arrays as handed (to see them wiped). */
    private final List<List<String>> exports = new ArrayList<>();
    private final List<byte[]> handed = new ArrayList<>();

    private void record(List<ExportedKey> keys) {
        List<String> copy = new ArrayList<>();
        for (ExportedKey key : keys) {
            copy.add(HEX.formatHex(key.name()) + "|" + HEX.formatHex(key.hmacKey()) + "|"
                    + HEX.formatHex(key.aesKey()));
            handed.add(key.hmacKey());
            handed.add(key.aesKey());
        }
        exports.add(copy);
    }

    @Test
    void hkdfIsRfc5869() {
        // RFC 5869, A.1 (test case 1).
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] okm = Hkdf.derive(HEX.parseHex("000102030405060708090a0b0c"), ikm, HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"),
                42);
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                HEX.formatHex(okm));
    }

    @Test
    void theKeyThatSealsComesFirstThenEveryKeyThatOpensAndTheExportFollowsTheSchedule() {
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        KeyRotation rotation = KeyRotation.builder().sealFor(Duration.ofSeconds(10)).openFor(Duration.ofSeconds(15))
                .checkInterval(Duration.ofHours(1)).build();
        List<KeyEvent> events = new ArrayList<>();
        try (TicketKeeperHandle handle = TicketKeeper.manageKeys(TicketKeeperOptions.builder().keySource(rotation)
                .keyEventListener(events::add).clock(clock).build(), LABEL, 16, this::record)) {
            assertEquals(1, exports.size());
            List<String> first = exports.get(0);
            KeySnapshot keys = handle.keys();
            assertEquals(2, first.size(), "the sealing key and the staged one: " + keys);
            String sealing = nameOf(keys, KeyState.SEALING, clock.millis());
            String staged = nameOf(keys, KeyState.STAGED, clock.millis());
            assertEquals(List.of(sealing, staged), names(first));
            assertTrue(handed.stream().allMatch(KeyExportTest::zero), "the exported arrays were not wiped");

            handle.refreshKeys();
            assertEquals(1, exports.size(), "nothing changed, nothing exported");

            clock.advance(10_000);
            handle.refreshKeys();
            assertEquals(2, exports.size());
            List<String> second = names(exports.get(1));
            assertEquals(3, second.size(), second.toString());
            assertEquals(staged, second.get(0), "the key staged before seals now");
            assertTrue(second.contains(sealing), "the key that sealed before still opens");

            clock.advance(15_000);
            handle.refreshKeys();
            assertFalse(names(exports.get(exports.size() - 1)).contains(sealing), "an expired key still opens");
            assertEquals(List.of(), handle.stats().sealed() == 0 ? List.of() : List.of("counted"),
                    "key-management mode counts no tickets");
            assertTrue(events.stream().anyMatch(event -> event.type() == KeyEvent.Type.PROMOTED));
        }
    }

    @Test
    void aPromotionWithoutAChangeOfKeysIsExportedAtTheNextRefresh() {
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        Instant now = clock.instant();
        ScheduledKey current = ScheduledKey.of(TicketKey.generate(), now, now.plusSeconds(10), now.plusSeconds(60));
        ScheduledKey next = ScheduledKey.of(TicketKey.generate(), now.plusSeconds(10), now.plusSeconds(20),
                now.plusSeconds(60));
        try (TicketKeeperHandle handle = TicketKeeper.manageKeys(TicketKeeperOptions.builder().clock(clock).build(),
                LABEL, 32, this::record)) {
            handle.setSchedule(List.of(current, next));
            String currentName = HEX.formatHex(current.key().name());
            String nextName = HEX.formatHex(next.key().name());
            assertEquals(List.of(currentName, nextName), names(exports.get(exports.size() - 1)));
            int before = exports.size();
            clock.advance(10_000);
            handle.refreshKeys();
            assertEquals(before + 1, exports.size());
            assertEquals(List.of(nextName, currentName), names(exports.get(before)));
            assertEquals(64 + 1 + 64 + 1 + 32, exports.get(before).get(0).length(), "32-byte secrets");
        }
    }

    @Test
    void derivedSecretsAreTheSameOnEveryServerAndNoTruncationOfTheRingKey() {
        byte[] name = HEX.parseHex("5a1f0c3e9b7d2f64a8c1e07b3d9f5216");
        byte[] hmac = HEX.parseHex("9f3b1c7e5a2d8f4061b7c3e9d5a1f7083c6e2b9d4f1a7c5e8b3d6f0a2c9e4b71");
        byte[] aes = HEX.parseHex("2e7a9c4f1b6d3e8a5c0f7b2d9e4a6c1f8b3e5d7a0c2f9e6b4d1a8c3f5e7b0d92");
        TicketKey key = TicketKey.of(name, hmac, aes);
        TicketKeeperOptions options = TicketKeeperOptions.builder().keys(key).build();
        try (TicketKeeperHandle one = TicketKeeper.manageKeys(options, LABEL, 16, this::record);
                TicketKeeperHandle two = TicketKeeper.manageKeys(options, LABEL, 16, this::record);
                TicketKeeperHandle other = TicketKeeper.manageKeys(options, "another stack", 16, this::record)) {
            assertFalse(one.isClosed() || two.isClosed() || other.isClosed());
            assertEquals(exports.get(0), exports.get(1), "two servers derive different keys from one ring key");
            assertFalse(exports.get(0).equals(exports.get(2)), "another label derives the same keys");
            String[] parts = exports.get(0).get(0).split("\\|");
            assertArrayEquals(name, HEX.parseHex(parts[0]), "the name is kept");
            for (String part : List.of(parts[1], parts[2])) {
                for (byte[] secret : List.of(hmac, aes)) {
                    assertFalse(HEX.formatHex(secret).contains(part), "a derived secret is a piece of the ring key's");
                }
            }
        }
    }

    @Test
    void aKeyManagingHandleTakesNoContextAndNoSessionCache() {
        try (TicketKeeperHandle handle = TicketKeeper.manageKeys(TicketKeeperOptions.defaults(), LABEL, 16,
                this::record)) {
            String refused = assertThrows(IllegalStateException.class, () -> handle.attach(0x1000L)).getMessage();
            assertTrue(refused.contains("takes no SSL_CTX"), refused);
        }
        assertThrows(IllegalArgumentException.class, () -> TicketKeeper.manageKeys(TicketKeeperOptions.builder()
                .sessionCache(SessionCacheOptions.of(InMemorySessionStore.builder().build())).build(), LABEL, 16, this::record));
        String size = assertThrows(IllegalArgumentException.class, () -> TicketKeeper.manageKeys(
                TicketKeeperOptions.defaults(), LABEL, 24, this::record)).getMessage();
        assertTrue(size.contains("was 24"), size);
        assertThrows(IllegalArgumentException.class, () -> TicketKeeper.manageKeys(TicketKeeperOptions.defaults(),
                "", 16, this::record));
    }

    @Test
    void anExporterThatFailsLeavesTheKeysInForceAndIsAskedAgain() {
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        boolean[] fail = {false};
        try (TicketKeeperHandle handle = TicketKeeper.manageKeys(TicketKeeperOptions.builder()
                .keySource(KeyRotation.builder().sealFor(Duration.ofSeconds(10)).build()).clock(clock).build(),
                LABEL, 16, keys -> {
                    if (fail[0]) {
                        throw new IllegalStateException("the stack said no");
                    }
                    record(keys);
                })) {
            KeySnapshot before = handle.keys();
            fail[0] = true;
            clock.advance(10_000);
            assertThrows(IllegalStateException.class, handle::refreshKeys);
            assertEquals(before, handle.keys(), "the ring moved on without the stack");
            fail[0] = false;
            handle.refreshKeys();
            assertEquals(2, exports.size());
        }
    }

    private static String nameOf(KeySnapshot keys, KeyState state, long nowMillis) {
        for (int slot = 0; slot < keys.size(); slot++) {
            if (keys.scheduledKey(slot).stateAt(nowMillis) == state) {
                return HEX.formatHex(keys.key(slot).name());
            }
        }
        throw new AssertionError("no " + state + " key in " + keys);
    }

    private static List<String> names(List<String> export) {
        return export.stream().map(key -> key.substring(0, 32)).toList();
    }

    private static boolean zero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static final class MutableClock extends Clock {
        private long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void advance(long delta) {
            millis += delta;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

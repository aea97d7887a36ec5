package io.ticketkeeper.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.session.redis.SealingKey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wrapped fleet keys: they unwrap under any of the node's wrapping keys at their own Redis key only, and every
 * other entry is refused with the reason; plaintexts that are no key of this fleet are refused too.
 */
class KeyWrapTest {
    private static final SealingKey W1 = SealingKey.generate("w1");
    private static final SealingKey W2 = SealingKey.generate("w2");
    private final FleetSchedule schedule = new FleetSchedule(10_000, 60_000, 10_000);
    private final byte[] where = "ticketkeeper:fleet:key:5".getBytes(StandardCharsets.UTF_8);

    private byte[] plaintext() {
        return FleetKey.newPlaintext(schedule.notBefore(5), schedule.sealUntil(5), schedule.openUntil(5));
    }

    private static String refusal(KeyWrap wrap, byte[] where, byte[] entry) {
        return assertThrows(GeneralSecurityException.class, () -> wrap.unwrap(where, entry)).getMessage();
    }

    @Test
    void aWrappedKeyUnwrapsUnderAnyWrappingKeyOfTheNode() throws Exception {
        byte[] plaintext = plaintext();
        byte[] entry = new KeyWrap(List.of(W2, W1)).wrap(where, plaintext);
        assertArrayEquals(plaintext, new KeyWrap(List.of(W1, W2)).unwrap(where, entry));
        assertEquals("w2", new String(entry, 2, entry[1], StandardCharsets.US_ASCII), "the first key wraps");
        FleetKey key = FleetKey.of(5, entry, plaintext, schedule);
        assertEquals(schedule.openUntil(5), key.openUntil());
        assertTrue(key.sameEntry(entry));
        key.destroy();
    }

    @Test
    void everyOtherEntryIsRefusedWithItsReason() throws Exception {
        KeyWrap wrap = new KeyWrap(List.of(W1));
        byte[] entry = wrap.wrap(where, plaintext());
        byte[] elsewhere = "ticketkeeper:fleet:key:6".getBytes(StandardCharsets.UTF_8);
        assertTrue(refusal(wrap, elsewhere, entry).contains("does not authenticate"), "moved to another period");
        byte[] tampered = entry.clone();
        tampered[tampered.length / 2] ^= 1;
        assertTrue(refusal(wrap, where, tampered).contains("does not authenticate"));
        assertTrue(refusal(wrap, where, Arrays.copyOf(entry, 20)).contains("truncated"));
        assertTrue(refusal(wrap, where, new byte[] {1}).contains("truncated"));
        byte[] future = entry.clone();
        future[0] = 2;
        assertTrue(refusal(wrap, where, future).contains("unknown format version 2"));
        assertTrue(refusal(new KeyWrap(List.of(W2)), where, entry).contains("unknown key 'w1'"));
        assertTrue(refusal(new KeyWrap(List.of(SealingKey.generate("w1"))), where, entry)
                .contains("does not authenticate"), "another key under the same id");
    }

    @Test
    void aPlaintextThatIsNoKeyOfThisFleetIsRefused() throws Exception {
        byte[] plaintext = plaintext();
        GeneralSecurityException otherPeriod = assertThrows(GeneralSecurityException.class,
                () -> FleetKey.of(6, new byte[0], plaintext, schedule));
        assertTrue(otherPeriod.getMessage().contains("not this fleet's key"), otherPeriod.getMessage());
        assertThrows(GeneralSecurityException.class,
                () -> FleetKey.of(5, new byte[0], Arrays.copyOf(plaintext, 80), schedule));
        byte[] zeroSecret = plaintext.clone();
        Arrays.fill(zeroSecret, FleetKey.NAME_LENGTH, FleetKey.NAME_LENGTH + FleetKey.SECRET_LENGTH, (byte) 0);
        GeneralSecurityException zero = assertThrows(GeneralSecurityException.class,
                () -> FleetKey.of(5, new byte[0], zeroSecret, schedule));
        assertTrue(zero.getMessage().contains("all zero"), zero.getMessage());
        byte[] deadbeef = plaintext.clone();
        for (int i = FleetKey.NAME_LENGTH + FleetKey.SECRET_LENGTH; i < FleetKey.NAME_LENGTH + 2 * FleetKey.SECRET_LENGTH;
                i++) {
            deadbeef[i] = (byte) new int[] {0xde, 0xad, 0xbe, 0xef}[i % 4];
        }
        GeneralSecurityException pattern = assertThrows(GeneralSecurityException.class,
                () -> FleetKey.of(5, new byte[0], deadbeef, schedule));
        assertTrue(pattern.getMessage().contains("not a ticket key: AES key repeats a pattern of 4 bytes"),
                pattern.getMessage());
        byte[] counting = plaintext.clone();
        byte[] lowEntropy = plaintext.clone();
        byte[] knownDefault = plaintext.clone();
        byte[] fips197 = java.util.HexFormat.of().parseHex(
                "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        for (int i = 0; i < FleetKey.SECRET_LENGTH; i++) {
            counting[FleetKey.NAME_LENGTH + i] = (byte) i;
            lowEntropy[FleetKey.NAME_LENGTH + i] = (byte) (plaintext[FleetKey.NAME_LENGTH + i] & 0x03);
            knownDefault[FleetKey.NAME_LENGTH + i] = fips197[i];
        }
        assertWeak(counting, "HMAC key is a counting sequence");
        assertWeak(lowEntropy, "HMAC key has very low entropy");
        assertWeak(knownDefault, "HMAC key is a known default session ticket key");
    }

    private void assertWeak(byte[] plaintext, String reason) {
        GeneralSecurityException weak = assertThrows(GeneralSecurityException.class,
                () -> FleetKey.of(5, new byte[0], plaintext, schedule));
        assertTrue(weak.getMessage().contains("not a ticket key: " + reason), weak.getMessage());
    }

    @Test
    void aCheckValueOpensOnlyWithTheSameKeyAtTheSamePlace() throws Exception {
        byte[] place = "ticketkeeper:fleet:fleet wrap:w1".getBytes(StandardCharsets.UTF_8);
        byte[] check = new KeyWrap(List.of(W1)).check(place);
        assertNull(new KeyWrap(List.of(W2, W1)).checkFails(place, check));
        assertTrue(new KeyWrap(List.of(SealingKey.generate("w1"))).checkFails(place, check)
                .contains("does not authenticate"));
        assertTrue(new KeyWrap(List.of(W1)).checkFails("elsewhere".getBytes(StandardCharsets.UTF_8), check)
                .contains("does not authenticate"));
        byte[] keyEntry = new KeyWrap(List.of(W1)).wrap(place, plaintext());
        assertTrue(new KeyWrap(List.of(W1)).checkFails(place, keyEntry) != null, "a key entry passed as a check");
    }
}

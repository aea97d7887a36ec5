package io.ticketkeeper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKey;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Issue 18, item 12: weak ticket keys are refused with the part and the reason; random keys never are. */
class WeakKeysTest {
    private static final SplittableRandom SEEDED = new SplittableRandom(18_12);

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        SEEDED.nextBytes(bytes);
        return bytes;
    }

    private static byte[] repeat(String hex, int length) {
        byte[] pattern = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = pattern[i % pattern.length];
        }
        return bytes;
    }

    private static byte[] counting(int start, int step, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (start + i * step);
        }
        return bytes;
    }

    private static String refusal(byte[] name, byte[] hmac, byte[] aes) {
        return assertThrows(IllegalArgumentException.class, () -> TicketKey.of(name, hmac, aes)).getMessage();
    }

    @Test
    void eachClassOfWeakSecretIsRefusedWithThePartAndTheReason() {
        byte[] name = random(16);
        assertEquals("HMAC key is all zero", refusal(name, new byte[32], random(32)));
        assertTrue(refusal(name, random(32), repeat("DEADBEEF", 32)).startsWith("AES key repeats a pattern of 4 bytes"));
        assertTrue(refusal(name, repeat("01", 16), random(16)).startsWith("HMAC key repeats a pattern of 1 byte"));
        assertTrue(refusal(name, random(32), repeat("00010203", 16)).startsWith("AES key repeats a pattern of 4"));
        assertTrue(refusal(name, repeat("BADC0FFEE0DDF00D", 32), random(32)).contains("pattern of 8 bytes"));
        assertEquals("HMAC key is a counting sequence (each byte 17 more than the one before)",
                refusal(name, counting(0, 0x11, 16), random(16)));
        byte[] fewValues = random(32);
        for (int i = 0; i < 32; i++) {
            fewValues[i] = (byte) (fewValues[i] & 0x07 | 0x40);
        }
        assertTrue(refusal(name, random(32), fewValues).startsWith("AES key has very low entropy (only "));
        assertTrue(refusal(name, HexFormat.of().parseHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"),
                random(32)).startsWith("HMAC key is a known default session ticket key"));
        assertTrue(refusal(new byte[16], random(32), random(32)).startsWith("key name is all zero"));
        assertTrue(refusal(repeat("CAFEBABE", 16), random(32), random(32)).startsWith("key name repeats a pattern"));
    }

    @Test
    void everyEntryOfTheDefaultListIsRefusedAtEveryKeyLength() {
        List<String[]> entries = WeakKeys.listEntries();
        assertTrue(entries.size() > 60, "the list lost its entries: " + entries.size());
        for (String[] entry : entries) {
            for (int length : new int[] {16, 32}) {
                byte[] secret;
                switch (entry[0]) {
                    case "fixed":
                        byte[] value = HexFormat.of().parseHex(entry[1]);
                        secret = random(length);
                        System.arraycopy(value, 0, secret, 0, Math.min(length, value.length));
                        break;
                    case "repeat":
                        secret = repeat(entry[1], length);
                        break;
                    case "counting":
                        secret = counting(Integer.parseInt(entry[1], 16), Integer.parseInt(entry[2], 16), length);
                        break;
                    default:
                        throw new AssertionError("unknown kind of entry " + String.join(" ", entry));
                }
                assertNotNull(WeakKeys.weakness(secret), () -> String.join(" ", entry) + " at " + length + " bytes");
            }
        }
    }

    @Test
    void messagesNeverShowTheSecret() {
        String message = refusal(random(16), random(32), repeat("DEADBEEF", 32));
        assertFalse(message.toLowerCase().contains("deadbeef"), message);
        assertFalse(message.toLowerCase().contains("de ad"), message);
    }

    /** The property: 100,000 random keys (seeded, so a failure repeats) are never refused, at either secret size. */
    @Test
    void randomKeysAreNeverRefused() {
        SplittableRandom random = new SplittableRandom(20_231_212L);
        byte[] name = new byte[16];
        byte[] short16 = new byte[16];
        byte[] long32 = new byte[32];
        for (int i = 0; i < 100_000; i++) {
            random.nextBytes(name);
            random.nextBytes(short16);
            random.nextBytes(long32);
            assertNull(WeakKeys.nameWeakness(name), () -> "a random name was refused");
            assertNull(WeakKeys.weakness(short16), () -> "a random 16-byte secret was refused: "
                    + WeakKeys.weakness(short16));
            assertNull(WeakKeys.weakness(long32), () -> "a random 32-byte secret was refused: "
                    + WeakKeys.weakness(long32));
        }
        for (int i = 0; i < 1_000; i++) {
            TicketKey.generate().destroy();
        }
    }
}

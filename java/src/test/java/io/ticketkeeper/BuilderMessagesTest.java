package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Builders check each value as it is set, and say what is wrong with the value in the message. */
class BuilderMessagesTest {
    @Test
    void keysAndAKeySourceExcludeEachOtherAsTheSecondIsSet() {
        TicketKeeperOptions.Builder keys = TicketKeeperOptions.builder().keys(TicketKey.generate());
        IllegalStateException source = assertThrows(IllegalStateException.class,
                () -> keys.keySource(KeyRotation.defaults()));
        assertTrue(source.getMessage().startsWith("1 keys are already set"), source.getMessage());
        TicketKeeperOptions.Builder rotation = TicketKeeperOptions.builder().keySource(KeyRotation.defaults());
        assertThrows(IllegalStateException.class, () -> rotation.keys(TicketKey.generate()));
    }

    @Test
    void theDefaultPolicyRenewsFromHalfItsMaximumAgeUnlessTold() {
        DefaultTicketPolicy policy = DefaultTicketPolicy.builder().maxAge(Duration.ofMinutes(10)).build();
        assertEquals(Duration.ofMinutes(5), policy.renewAfter());
        assertEquals(Duration.ofHours(6), DefaultTicketPolicy.builder().build().renewAfter());
        IllegalArgumentException late = assertThrows(IllegalArgumentException.class,
                () -> DefaultTicketPolicy.builder().maxAge(Duration.ofMinutes(1)).renewAfter(Duration.ofMinutes(2))
                        .build());
        assertEquals("renewAfter (PT2M) must not exceed maxAge (PT1M)", late.getMessage());
        assertEquals("maxAge must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> DefaultTicketPolicy.builder().maxAge(Duration.ZERO)).getMessage());
        assertTrue(DefaultTicketPolicy.builder().build().revocations().isEmpty());
    }

    @Test
    void keyMessagesNameTheFieldAndItsSize() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> TicketKey.of(new byte[15], new byte[32], new byte[32]));
        assertEquals("key name must be 16 bytes, was 15", name.getMessage());
        IllegalArgumentException aes = assertThrows(IllegalArgumentException.class,
                () -> TicketKey.of(new byte[16], filled(32), filled(24)));
        assertEquals("AES key must be 16 or 32 bytes, was 24", aes.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> TicketKey.of(new byte[16], new byte[32], filled(32)));
        assertEquals("HMAC key is all zero", zero.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> ScheduledKey.of(
                TicketKey.generate(), ScheduledKey.DISTANT_PAST, ScheduledKey.FOREVER, java.time.Instant.EPOCH));
        assertTrue(order.getMessage().contains("is after its openUntil (1970-01-01T00:00:00Z)"), order.getMessage());
    }

    @Test
    void keyFilesAndSessionCachesSayWhatIsMissing() {
        assertEquals("no key files given", assertThrows(IllegalArgumentException.class,
                () -> KeyFiles.builder(KeyFileFormat.NGINX, List.of())).getMessage());
        IllegalArgumentException haproxy = assertThrows(IllegalArgumentException.class,
                () -> KeyFiles.builder(KeyFileFormat.HAPROXY, List.of(Path.of("a"), Path.of("b"))));
        assertTrue(haproxy.getMessage().contains("give one file, not 2"), haproxy.getMessage());
        SessionStore memory = SessionStore.inMemory(10);
        assertEquals(SessionCacheOptions.of(memory), SessionCacheOptions.of(memory));
    }

    @Test
    void valueTypesAreEqualByValueAndPrintNoSecret() {
        TicketKey key = TicketKey.generate();
        TicketKey same = TicketKey.of(key.name(), filled(32), filled(32));
        TicketKey copy = TicketKey.of(key.name(), filled(32), filled(32));
        assertEquals(same, copy);
        assertEquals(same.hashCode(), copy.hashCode());
        assertEquals(ScheduledKey.unlimited(same), ScheduledKey.unlimited(copy));
        assertEquals(KeyRotation.defaults(), KeyRotation.builder().build());
        assertEquals(SessionIdContext.nginx(), SessionIdContext.nginx("HTTP"));
        assertTrue(same.toString().matches("TicketKey\\{name=[0-9a-f]{8}…}"), same.toString());
        same.destroy();
        assertEquals(false, same.equals(copy), "a destroyed key equals only itself");
    }

    /** The same random-looking bytes on every call (a key made twice from it is the same key). */
    private static byte[] filled(int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(9).nextBytes(bytes);
        return bytes;
    }
}

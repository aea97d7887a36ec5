package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every key file layout read from bytes, and every bad file refused with the file and the reason. */
class KeyFileFormatTest {
    private static final Path FILE = Path.of("/etc/ticket.key");

    /**
     * The same random-looking bytes for the same length, so that each field's position shows in the key's name
     * (bytes 1, 2, 3, ... would be a counting sequence, which TicketKey refuses as a weak secret).
     */
    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(length).nextBytes(bytes);
        return bytes;
    }

    private static TicketKey only(KeyFileFormat format, byte[] content) {
        KeyFileFormat.Parsed parsed = format.parse(FILE, content);
        assertEquals(1, parsed.keys().size());
        assertEquals(0, parsed.sealing());
        return parsed.keys().get(0);
    }

    @Test
    void eightyBytesAreNameHmacAes256() {
        TicketKey key = only(KeyFileFormat.OPENSSL_80, counting(80));
        assertArrayEquals(Arrays.copyOfRange(counting(80), 0, 16), key.name());
        assertEquals(32, key.aesKeyLength());
        assertEquals(key, only(KeyFileFormat.NGINX, counting(80)), "nginx's 80 bytes are OpenSSL's layout");
    }

    @Test
    void fortyEightByteLayoutsDifferInTheOrderOfTheSecrets() {
        TicketKey nginx = only(KeyFileFormat.NGINX_48, counting(48));
        TicketKey openssl = only(KeyFileFormat.OPENSSL_48, counting(48));
        assertEquals(16, nginx.aesKeyLength());
        assertArrayEquals(nginx.name(), openssl.name());
        assertEquals(nginx, only(KeyFileFormat.NGINX, counting(48)), "nginx's 48 bytes are name|AES|HMAC");
        assertEquals(false, nginx.equals(openssl), "the same bytes, other secrets");
    }

    @Test
    void haproxyUsesTheLastThreeLinesAndTheSecondToLastSeals() {
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < 4; line++) {
            byte[] key = counting(48);
            key[0] = (byte) (100 + line);
            text.append(Base64.getEncoder().encodeToString(key)).append('\n');
        }
        KeyFileFormat.Parsed parsed = KeyFileFormat.HAPROXY.parse(FILE, text.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(3, parsed.keys().size());
        assertEquals(List.of(101, 102, 103), parsed.keys().stream().map(k -> (int) k.name()[0]).toList());
        assertEquals(1, parsed.sealing());
    }

    @Test
    void badFilesNameTheFileAndTheReason() {
        assertMessage(KeyFileFormat.OPENSSL_80, counting(79), "79 bytes, expected 80");
        assertMessage(KeyFileFormat.NGINX, counting(64), "64 bytes");
        assertMessage(KeyFileFormat.OPENSSL_80, new byte[80], "all zero");
        assertMessage(KeyFileFormat.HAPROXY, "not base64!\n".getBytes(StandardCharsets.US_ASCII), "line 1 is not base64");
        String two = Base64.getEncoder().encodeToString(counting(48)) + "\n"
                + Base64.getEncoder().encodeToString(counting(48)) + "\n";
        assertMessage(KeyFileFormat.HAPROXY, two.getBytes(StandardCharsets.US_ASCII), "at least");
        String mixed = Base64.getEncoder().encodeToString(counting(48)) + "\n"
                + Base64.getEncoder().encodeToString(counting(80)) + "\n"
                + Base64.getEncoder().encodeToString(counting(48)) + "\n";
        assertMessage(KeyFileFormat.HAPROXY, mixed.getBytes(StandardCharsets.US_ASCII), "line 2 holds 80");
    }

    private static void assertMessage(KeyFileFormat format, byte[] content, String reason) {
        KeyFileException e = assertThrows(KeyFileException.class, () -> format.parse(FILE, content));
        assertEquals(FILE, e.file());
        assertEquals(true, e.getMessage().contains(FILE.toString()), e.getMessage());
        assertEquals(true, e.reason().contains(reason), e.reason());
    }
}

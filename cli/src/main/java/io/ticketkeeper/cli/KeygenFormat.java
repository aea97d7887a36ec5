package io.ticketkeeper.cli;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The key file formats {@code keygen} writes. Every ticket key is a 16-byte name, an HMAC-SHA256 key and an AES
 * key; the formats differ in size and in the order of the two secrets, which a reader must know (nothing in the
 * file says it). 48-byte keys carry 16-byte secrets, so the AES key is AES-128; 80-byte keys carry AES-256. The
 * {@code session} and {@code fleet} formats are no ticket keys: 32 bytes that seal sessions in a shared store, or
 * wrap a fleet's ticket keys in Redis.
 */
enum KeygenFormat {
    /** 80 bytes: name | HMAC (32) | AES-256 (32). nginx's and Envoy's 80-byte files, OpenSSL's own key block. */
    RAW80("80", 80, false, "name(16) | HMAC(32) | AES-256(32): OpenSSL, nginx, Envoy"),
    /** 48 bytes: name | AES-128 (16) | HMAC (16). nginx's 48-byte files. */
    NGINX48("nginx-48", 48, true, "name(16) | AES-128(16) | HMAC(16): nginx"),
    /** 48 bytes: name | HMAC (16) | AES-128 (16). Apache's SSLSessionTicketKeyFile, OpenSSL's 48-byte block. */
    OPENSSL48("openssl-48", 48, false, "name(16) | HMAC(16) | AES-128(16): OpenSSL, Apache httpd"),
    /** HAProxy's tls-ticket-keys: one base64 key a line, each 80 bytes: name | AES-256 (32) | HMAC (32). */
    HAPROXY("haproxy", 80, true, "base64 lines, each name(16) | AES-256(32) | HMAC(32): HAProxy"),
    /** HAProxy's tls-ticket-keys with 48-byte keys: name | AES-128 (16) | HMAC (16). */
    HAPROXY48("haproxy-48", 48, true, "base64 lines, each name(16) | AES-128(16) | HMAC(16): HAProxy"),
    /** 32 random bytes: the AES-256-GCM key sealing sessions in Redis ({@code serve --session-key-file}). */
    SESSION("session", 32, false, "32 bytes, AES-256-GCM key sealing sessions in a shared store: "
            + "serve --session-key-file"),
    /** 32 random bytes: the AES-256-GCM key wrapping a fleet's ticket keys in Redis ({@code --fleet-key-file}). */
    FLEET("fleet", 32, false, "32 bytes, AES-256-GCM key wrapping a fleet's ticket keys in Redis: "
            + "serve --fleet-key-file");

    private static final int NAME_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String flag;
    private final int keyLength;
    private final boolean aesFirst;
    private final String layout;

    KeygenFormat(String flag, int keyLength, boolean aesFirst, String layout) {
        this.flag = flag;
        this.keyLength = keyLength;
        this.aesFirst = aesFirst;
        this.layout = layout;
    }

    static KeygenFormat parse(String value) {
        for (KeygenFormat format : values()) {
            if (format.flag.equalsIgnoreCase(value)) {
                return format;
            }
        }
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a key file format; use "
                + String.join(", ", Arrays.stream(values()).map(KeygenFormat::flag).toList()));
    }

    String flag() {
        return flag;
    }

    String layout() {
        return layout;
    }

    boolean isText() {
        return this == HAPROXY || this == HAPROXY48;
    }

    /** How many keys go in a file unless asked otherwise: three lines for HAProxy (its default ring), else one. */
    int defaultCount() {
        return isText() ? 3 : 1;
    }

    /** The file's bytes: {@code count} fresh keys from a CSPRNG. Binary formats hold exactly one key. */
    byte[] generate(int count) {
        if (!isText() && count != 1) {
            throw new IllegalArgumentException("a " + flag + " file holds one key, not " + count
                    + "; write one file per key (nginx: one ssl_session_ticket_key line per file)");
        }
        if (this == SESSION || this == FLEET) {
            byte[] key = new byte[keyLength];
            nonZero(key);
            return key;
        }
        if (!isText()) {
            return generateKey();
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            byte[] key = generateKey();
            lines.append(Base64.getEncoder().encodeToString(key)).append('\n');
            Arrays.fill(key, (byte) 0);
        }
        return lines.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** One key in this format's layout: the name, then the two secrets in this format's order. */
    private byte[] generateKey() {
        int secretLength = (keyLength - NAME_LENGTH) / 2;
        byte[] name = new byte[NAME_LENGTH];
        byte[] hmac = new byte[secretLength];
        byte[] aes = new byte[secretLength];
        RANDOM.nextBytes(name);
        nonZero(hmac);
        nonZero(aes);
        byte[] key = new byte[keyLength];
        System.arraycopy(name, 0, key, 0, NAME_LENGTH);
        System.arraycopy(aesFirst ? aes : hmac, 0, key, NAME_LENGTH, secretLength);
        System.arraycopy(aesFirst ? hmac : aes, 0, key, NAME_LENGTH + secretLength, secretLength);
        Arrays.fill(hmac, (byte) 0);
        Arrays.fill(aes, (byte) 0);
        return key;
    }

    /** Fills {@code secret} with random bytes, never all zero (readers refuse all-zero secrets). */
    private static void nonZero(byte[] secret) {
        boolean allZero = true;
        while (allZero) {
            RANDOM.nextBytes(secret);
            for (byte b : secret) {
                allZero &= b == 0;
            }
        }
    }
}

package io.ticketkeeper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The layouts of ticket key files that real servers use. A key is a 16-byte name, an HMAC-SHA256 key and an
 * AES-CBC key; a 48-byte key means AES-128 with a 16-byte HMAC key, an 80-byte key AES-256 with a 32-byte HMAC key.
 * Make a key file the way nginx documents it: {@code openssl rand 80 > ticket.key}.
 */
public enum KeyFileFormat {
    /**
     * 80 bytes, name | HMAC (32) | AES-256 (32): OpenSSL's {@code SSL_CTX_set_tlsext_ticket_keys} order, used by
     * nginx ({@code ssl_session_ticket_key}) and Envoy ({@code session_ticket_keys}).
     */
    OPENSSL_80(80, "name|HMAC|AES"),
    /** 48 bytes, name | AES-128 (16) | HMAC (16): nginx's 48-byte {@code ssl_session_ticket_key}. */
    NGINX_48(48, "name|AES|HMAC"),
    /** 48 bytes, name | HMAC (16) | AES-128 (16): OpenSSL 1.0's 48-byte keys, Apache's SSLSessionTicketKeyFile. */
    OPENSSL_48(48, "name|HMAC|AES"),
    /**
     * nginx's {@code ssl_session_ticket_key}: 80 bytes as {@link #OPENSSL_80} or 48 bytes as {@link #NGINX_48},
     * told apart by size.
     */
    NGINX(0, "80 bytes name|HMAC|AES or 48 bytes name|AES|HMAC"),
    /**
     * HAProxy's {@code tls-ticket-keys}: one key per line, base64, all 48 bytes or all 80 bytes, each
     * name | AES | HMAC. As in HAProxy, at least three lines; the last three keys are used and the second to
     * last seals, so appending a line and reloading rotates (the last line is the next key, staged).
     */
    HAPROXY(0, "base64 lines of name|AES|HMAC");

    /** HAProxy's TLS_TICKETS_NO: how many of the file's keys it uses. */
    static final int HAPROXY_KEYS = 3;
    private static final int NAME = 16;

    private final int size;
    private final String layout;

    KeyFileFormat(int size, String layout) {
        this.size = size;
        this.layout = layout;
    }

    /** The layout in words, e.g. {@code name|HMAC|AES}. */
    public String layout() {
        return layout;
    }

    /**
     * The keys in {@code content}, read from {@code file}, in file order, with the index of the one that seals.
     * {@code content} is not wiped here; the caller wipes it.
     *
     * @throws KeyFileException naming the file and what is wrong
     */
    Parsed parse(Path file, byte[] content) {
        switch (this) {
            case HAPROXY:
                return parseLines(file, content);
            case NGINX:
                if (content.length == 80) {
                    return single(OPENSSL_80.key(file, content));
                }
                if (content.length == 48) {
                    return single(NGINX_48.key(file, content));
                }
                throw new KeyFileException(file, content.length + " bytes, expected 80 (" + OPENSSL_80.layout
                        + ") or 48 (" + NGINX_48.layout + ")");
            default:
                if (content.length != size) {
                    throw new KeyFileException(file, content.length + " bytes, expected " + size + " (" + layout
                            + ", " + name() + ")");
                }
                return single(key(file, content));
        }
    }

    private static Parsed single(TicketKey key) {
        return new Parsed(List.of(key), 0);
    }

    /** The one binary key of {@code content} in this format's layout. */
    private TicketKey key(Path file, byte[] content) {
        boolean hmacFirst = this == OPENSSL_80 || this == OPENSSL_48;
        return key(file, content, size == 80 ? 32 : 16, hmacFirst, layout);
    }

    /** A key from {@code content}: the name, then the HMAC and AES keys of {@code secret} bytes each. */
    private static TicketKey key(Path file, byte[] content, int secret, boolean hmacFirst, String layout) {
        byte[] name = Arrays.copyOfRange(content, 0, NAME);
        int hmacAt = hmacFirst ? NAME : NAME + secret;
        int aesAt = hmacFirst ? NAME + secret : NAME;
        byte[] hmac = Arrays.copyOfRange(content, hmacAt, hmacAt + secret);
        byte[] aes = Arrays.copyOfRange(content, aesAt, aesAt + secret);
        try {
            return TicketKey.of(name, hmac, aes);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(file, e.getMessage() + " (" + layout + ")");
        } finally {
            Arrays.fill(hmac, (byte) 0);
            Arrays.fill(aes, (byte) 0);
        }
    }

    private static Parsed parseLines(Path file, byte[] content) {
        List<byte[]> decoded = new ArrayList<>();
        try {
            String[] lines = new String(content, StandardCharsets.US_ASCII).split("\r?\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty()) {
                    continue;
                }
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(line);
                } catch (IllegalArgumentException e) {
                    throw new KeyFileException(file, "line " + (i + 1) + " is not base64");
                }
                decoded.add(bytes);
                if (bytes.length != 48 && bytes.length != 80) {
                    throw new KeyFileException(file, "line " + (i + 1) + " holds " + bytes.length
                            + " bytes, expected 48 or 80");
                }
                if (bytes.length != decoded.get(0).length) {
                    throw new KeyFileException(file, "line " + (i + 1) + " holds " + bytes.length
                            + " bytes but the first key " + decoded.get(0).length + "; all keys must be one size");
                }
            }
            if (decoded.size() < HAPROXY_KEYS) {
                throw new KeyFileException(file, decoded.size() + " keys, HAProxy's format needs at least "
                        + HAPROXY_KEYS);
            }
            List<TicketKey> keys = new ArrayList<>();
            for (byte[] bytes : decoded.subList(decoded.size() - HAPROXY_KEYS, decoded.size())) {
                keys.add(key(file, bytes, bytes.length == 80 ? 32 : 16, false, HAPROXY.layout));
            }
            return new Parsed(keys, HAPROXY_KEYS - 2);
        } finally {
            for (byte[] bytes : decoded) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** Keys read from one file, in file order, and the index of the one that seals (or -1). */
    record Parsed(List<TicketKey> keys, int sealing) {
    }
}

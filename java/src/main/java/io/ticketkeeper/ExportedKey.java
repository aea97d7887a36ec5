package io.ticketkeeper;

import java.util.Arrays;

/**
 * One ticket key as {@link TicketKeeper#manageKeys} hands it to a TLS stack that seals tickets itself (Netty on
 * BoringSSL): the ring key's name and secrets derived from the ring key's secrets for that stack. The arrays are
 * the key, not copies, and valid only during {@link KeyExporter#apply}: TicketKeeper overwrites them with zeros when
 * it returns. {@link #toString()} shows the start of the name only.
 */
public final class ExportedKey {
    private final byte[] name;
    private final byte[] hmacKey;
    private final byte[] aesKey;
    private final String displayName;

    ExportedKey(byte[] name, byte[] hmacKey, byte[] aesKey, String displayName) {
        this.name = name;
        this.hmacKey = hmacKey;
        this.aesKey = aesKey;
        this.displayName = displayName;
    }

    /** The 16-byte name, the ring key's own: tickets carry it. */
    public byte[] name() {
        return name;
    }

    /** The derived HMAC key. */
    public byte[] hmacKey() {
        return hmacKey;
    }

    /** The derived AES key. */
    public byte[] aesKey() {
        return aesKey;
    }

    /** The start of the name in hex, as the ring key shows it. */
    public String displayName() {
        return displayName;
    }

    void wipe() {
        Arrays.fill(name, (byte) 0);
        Arrays.fill(hmacKey, (byte) 0);
        Arrays.fill(aesKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "ExportedKey{name=" + displayName + "}";
    }
}

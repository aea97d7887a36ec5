package io.ticketkeeper.session;

import java.util.Arrays;
import java.util.HexFormat;

/** A TLS session id (TLS 1.2) or stateful ticket id (TLS 1.3): 1 to 32 bytes, compared by content. */
public final class SessionId {
    /** The longest id OpenSSL issues. */
    public static final int MAX_LENGTH = 32;

    private final byte[] bytes;
    private final int hash;

    private SessionId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A copy of {@code bytes} as an id. */
    public static SessionId of(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a session id has 1 to " + MAX_LENGTH + " bytes, not " + bytes.length);
        }
        return new SessionId(bytes.clone());
    }

    /** The id's bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The id in lower-case hex. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionId && Arrays.equals(bytes, ((SessionId) other).bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Only a prefix: ids are not secret, but logs need no more to tell them apart. */
    @Override
    public String toString() {
        String hex = hex();
        return "SessionId{" + (hex.length() > 16 ? hex.substring(0, 16) + "…" : hex) + "}";
    }
}

package io.ticketkeeper;

import io.ticketkeeper.internal.KeyLayout;
import io.ticketkeeper.internal.Secrets;
import io.ticketkeeper.internal.WeakKeys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * One session ticket key: a 16-byte name written into every ticket it seals, an HMAC-SHA256 key and an AES-CBC
 * key (16 bytes for AES-128, 32 for AES-256).
 *
 * <p>The secrets are copied in and kept off the Java heap; {@link #destroy()} overwrites them. Arrays passed in
 * remain the caller's to wipe. No public method returns the secrets: only the backend TicketKeeper installs reads
 * them, to publish them to the shim. {@link #toString()} shows only the start of the name.
 */
public final class TicketKey implements Destroyable {
    static final int NAME_LENGTH = KeyLayout.NAME_LENGTH;
    private static final int SECRET_CAPACITY = KeyLayout.SECRET_CAPACITY;
    private static final int NATIVE_SIZE = KeyLayout.SIZE;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ByteBuffer material;
    private final String displayName;
    private final int nameHash;
    private volatile boolean destroyed;

    private TicketKey(byte[] name, byte[] hmacKey, byte[] aesKey) {
        material = ByteBuffer.allocateDirect(NATIVE_SIZE).order(ByteOrder.nativeOrder());
        material.put(KeyLayout.NAME_OFFSET, name).put(KeyLayout.HMAC_KEY_OFFSET, hmacKey)
                .put(KeyLayout.AES_KEY_OFFSET, aesKey);
        material.putInt(KeyLayout.HMAC_KEY_LEN_OFFSET, hmacKey.length)
                .putInt(KeyLayout.AES_KEY_LEN_OFFSET, aesKey.length);
        displayName = HexFormat.of().formatHex(name, 0, 4) + "…";
        nameHash = java.util.Arrays.hashCode(name);
    }

    /**
     * Makes a key from its parts, copying them.
     *
     * @throws IllegalArgumentException when the name is not 16 bytes, a secret is not 16 or 32 bytes, or the key is
     *     weak: a secret all zero, a repeating pattern of up to 8 bytes (DEADBEEF…), a counting sequence, of very
     *     few distinct byte values or a known default key (the published lists of default session ticket keys); a
     *     name all zero or a repeating pattern. The message says which part and why, never the bytes.
     */
    public static TicketKey of(byte[] name, byte[] hmacKey, byte[] aesKey) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hmacKey, "hmacKey");
        Objects.requireNonNull(aesKey, "aesKey");
        if (name.length != NAME_LENGTH) {
            throw new IllegalArgumentException("key name must be 16 bytes, was " + name.length);
        }
        checkSecret("HMAC key", hmacKey);
        checkSecret("AES key", aesKey);
        String weakName = WeakKeys.nameWeakness(name);
        if (weakName != null) {
            throw new IllegalArgumentException("key name " + weakName);
        }
        return new TicketKey(name, hmacKey, aesKey);
    }

    /** Generates an AES-256 key with a random name from a CSPRNG. */
    public static TicketKey generate() {
        byte[] name = new byte[NAME_LENGTH];
        byte[] hmacKey = new byte[SECRET_CAPACITY];
        byte[] aesKey = new byte[SECRET_CAPACITY];
        try {
            RANDOM.nextBytes(name);
            RANDOM.nextBytes(hmacKey);
            RANDOM.nextBytes(aesKey);
            return of(name, hmacKey, aesKey);
        } finally {
            java.util.Arrays.fill(hmacKey, (byte) 0);
            java.util.Arrays.fill(aesKey, (byte) 0);
        }
    }

    private static void checkSecret(String what, byte[] secret) {
        if (secret.length != 16 && secret.length != 32) {
            throw new IllegalArgumentException(what + " must be 16 or 32 bytes, was " + secret.length);
        }
        String weakness = WeakKeys.weakness(secret);
        if (weakness != null) {
            throw new IllegalArgumentException(what + " " + weakness);
        }
    }

    /** A copy of the key's 16-byte name. */
    public byte[] name() {
        byte[] name = new byte[NAME_LENGTH];
        material.get(0, name);
        return name;
    }

    /** The start of the name in hex, as {@link #toString()} shows it: enough to tell keys apart in logs. */
    public String displayName() {
        return displayName;
    }

    /** A read-only view of the material in the shim's {@code tk_key} layout, for {@link KeyMaterial} only. */
    ByteBuffer material() {
        return material.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** Whether {@code other} has the same name. */
    boolean sameName(TicketKey other) {
        return material.slice(0, NAME_LENGTH).equals(other.material.slice(0, NAME_LENGTH));
    }

    /**
     * Keys are equal when they hold the same name and the same secrets (compared in constant time); a destroyed key
     * equals only itself.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        return other instanceof TicketKey that && !destroyed && !that.destroyed && sameMaterial(that);
    }

    /** From the name only, which is not secret. */
    @Override
    public int hashCode() {
        return nameHash;
    }

    private boolean sameMaterial(TicketKey other) {
        return Secrets.equal(material, other.material, NATIVE_SIZE);
    }

    /** 16 for AES-128, 32 for AES-256. */
    public int aesKeyLength() {
        return material.getInt(KeyLayout.AES_KEY_LEN_OFFSET);
    }

    /** Overwrites the key's secrets. A destroyed key must not be published again. */
    @Override
    public void destroy() {
        destroyed = true;
        Secrets.wipe(material, NATIVE_SIZE);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "TicketKey{name=" + displayName + (destroyed ? ", destroyed" : "") + "}";
    }
}

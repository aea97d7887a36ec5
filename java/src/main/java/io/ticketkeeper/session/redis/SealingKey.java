package io.ticketkeeper.session.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

/**
 * An AES-256-GCM key that seals session entries in a shared store, with the id written into each entry so that
 * the key can rotate: the first key of a store seals, every listed key opens.
 */
public final class SealingKey {
    public static final int KEY_LENGTH = 32;
    public static final int MAX_ID_LENGTH = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final byte[] idBytes;
    private final SecretKeySpec key;

    private SealingKey(String id, byte[] material) {
        this.id = id;
        this.idBytes = id.getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(material, "AES");
    }

    /** A key with a fresh random secret. */
    public static SealingKey generate(String id) {
        byte[] material = new byte[KEY_LENGTH];
        RANDOM.nextBytes(material);
        try {
            return of(id, material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /**
     * A key from 32 secret bytes (copied).
     *
     * @throws IllegalArgumentException when the id is empty, too long or not printable ASCII, or the secret is not
     *     32 bytes or all zero
     */
    public static SealingKey of(String id, byte[] material) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(material, "material");
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || !id.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("a sealing key id is 1 to " + MAX_ID_LENGTH
                    + " printable ASCII characters without spaces, not '" + id + "'");
        }
        if (material.length != KEY_LENGTH) {
            throw new IllegalArgumentException("sealing key '" + id + "' has " + material.length
                    + " bytes; AES-256-GCM needs " + KEY_LENGTH);
        }
        boolean allZero = true;
        for (byte b : material) {
            allZero &= b == 0;
        }
        if (allZero) {
            throw new IllegalArgumentException("sealing key '" + id + "' is all zero");
        }
        return new SealingKey(id, material.clone());
    }

    /** A key written as {@code ID:BASE64} (the secret as 32 bytes in standard base64). */
    public static SealingKey parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a sealing key is written ID:BASE64, but the text has no id");
        }
        String id = text.substring(0, colon);
        byte[] material;
        try {
            material = Base64.getDecoder().decode(text.substring(colon + 1).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sealing key '" + id + "' is not base64: " + e.getMessage(), e);
        }
        try {
            return of(id, material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    public String id() {
        return id;
    }

    byte[] idBytes() {
        return idBytes;
    }

    SecretKeySpec secret() {
        return key;
    }

    /** The id only: the secret is never printed. */
    @Override
    public String toString() {
        return "SealingKey{" + id + "}";
    }
}

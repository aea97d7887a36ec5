package io.ticketkeeper.internal;

import io.ticketkeeper.session.redis.SealingKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Entries sealed with AES-256-GCM for a shared store, under a list of {@link SealingKey}s: the first key seals,
 * every listed key opens, so the keys can rotate. An entry is
 * {@code version(1) | idLength(1) | keyId | nonce(12) | ciphertext | tag(16)}. The additional authenticated data
 * binds a domain (what kind of entry it is), the entry's header and a context (where the entry lives: a session
 * id, a Redis key name), so an entry copied to another place, given another key id or read as another kind of entry
 * does not open. The Redis session store and the fleet key source both write this format; it lives here, not in
 * their packages, because both use it and it is no API of either.
 *
 * <p>Thread-safe. Nothing here prints a secret: a refusal names the reason and the key id only.
 */
public final class SealedEntries {
    /** The format version written into every entry. */
    public static final int VERSION = 1;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_LENGTH = 16;

    private final byte[] domain;
    private final SealingKey sealing;
    private final Map<String, SealingKey> opening = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(SealedEntries::newCipher);

    private SealedEntries(String domain, List<SealingKey> keys) {
        this.domain = domain.getBytes(StandardCharsets.UTF_8);
        this.sealing = keys.get(0);
        for (SealingKey key : keys) {
            if (opening.put(Objects.requireNonNull(key, "key").id(), key) != null) {
                throw new IllegalArgumentException("two sealing keys share the id '" + key.id() + "'");
            }
        }
    }

    /**
     * Entries of the kind {@code domain} (a label that differs between kinds of entries), sealed by the first of
     * {@code keys} and opened by any of them.
     *
     * @throws IllegalArgumentException when there is no key, or two keys share an id
     */
    public static SealedEntries of(String domain, List<SealingKey> keys) {
        Objects.requireNonNull(domain, "domain");
        if (Objects.requireNonNull(keys, "keys").isEmpty()) {
            throw new IllegalArgumentException("sealed entries need at least one sealing key");
        }
        return new SealedEntries(domain, List.copyOf(keys));
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
        }
    }

    /** The key that seals. */
    public SealingKey sealingKey() {
        return sealing;
    }

    /** The ids of the keys that open, the sealing one first. */
    public Set<String> keyIds() {
        return java.util.Collections.unmodifiableSet(opening.keySet());
    }

    /**
     * {@code plaintext} sealed under the first key, bound to {@code context}.
     *
     * @throws GeneralSecurityException when the JCE fails
     * @throws IllegalStateException when the sealing key is destroyed, or has used up its budget of seals
     *     ({@link SealingKey#SEAL_BUDGET})
     */
    public byte[] seal(byte[] context, byte[] plaintext) throws GeneralSecurityException {
        SealingKeyAccess access = SealingKeyAccess.get();
        access.countSeal(sealing);
        byte[] keyId = access.idBytes(sealing);
        int headerLength = 2 + keyId.length;
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        Cipher cipher = ciphers.get();
        access.init(sealing, cipher, Cipher.ENCRYPT_MODE, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        ByteBuffer entry = ByteBuffer.allocate(headerLength + NONCE_LENGTH + cipher.getOutputSize(plaintext.length));
        entry.put((byte) VERSION).put((byte) keyId.length).put(keyId);
        cipher.updateAAD(aad(entry.array(), headerLength, context));
        entry.put(nonce);
        cipher.doFinal(ByteBuffer.wrap(plaintext), entry);
        return entry.array();
    }

    /**
     * The plaintext of {@code entry}, sealed for {@code context}.
     *
     * @throws GeneralSecurityException whose message says why the entry does not open: truncated, an unknown format
     *     version, an unknown key id, or no authentication (tampered, moved to another context, or sealed by another
     *     key under the same id)
     */
    public byte[] open(byte[] context, byte[] entry) throws GeneralSecurityException {
        if (entry.length < 2) {
            throw new GeneralSecurityException("truncated: " + entry.length + " bytes");
        }
        if (entry[0] != VERSION) {
            throw new GeneralSecurityException("unknown format version " + (entry[0] & 0xff) + " (this build reads "
                    + VERSION + ")");
        }
        int headerLength = 2 + (entry[1] & 0xff);
        if (entry.length < headerLength + NONCE_LENGTH + TAG_LENGTH) {
            throw new GeneralSecurityException("truncated: " + entry.length + " bytes");
        }
        String keyId = new String(entry, 2, headerLength - 2, StandardCharsets.UTF_8);
        SealingKey key = opening.get(keyId);
        if (key == null) {
            throw new GeneralSecurityException("sealed by the unknown key '" + printable(keyId) + "' (this node has "
                    + opening.keySet() + ")");
        }
        Cipher cipher = ciphers.get();
        SealingKeyAccess.get().init(key, cipher, Cipher.DECRYPT_MODE, new GCMParameterSpec(TAG_LENGTH * 8, entry, headerLength,
                NONCE_LENGTH));
        cipher.updateAAD(aad(entry, headerLength, context));
        int offset = headerLength + NONCE_LENGTH;
        try {
            return cipher.doFinal(entry, offset, entry.length - offset);
        } catch (AEADBadTagException e) {
            throw new GeneralSecurityException("does not authenticate under key '" + keyId + "' (tampered, moved "
                    + "from elsewhere, or sealed by another key with that id)", e);
        }
    }

    /** A key id as read from an entry that may be garbage: printable ASCII kept, the rest shown as '?'. */
    private static String printable(String id) {
        StringBuilder shown = new StringBuilder(Math.min(id.length(), SealingKey.MAX_ID_LENGTH));
        id.codePoints().limit(SealingKey.MAX_ID_LENGTH)
                .forEach(c -> shown.append(c > ' ' && c < 127 ? (char) c : '?'));
        return shown.toString();
    }

    private byte[] aad(byte[] header, int headerLength, byte[] context) {
        return ByteBuffer.allocate(domain.length + headerLength + context.length)
                .put(domain).put(header, 0, headerLength).put(context).array();
    }

    @Override
    public String toString() {
        return "sealed by " + sealing + ", opened by " + opening.keySet();
    }
}

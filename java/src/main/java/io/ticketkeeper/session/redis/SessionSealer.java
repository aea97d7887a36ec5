package io.ticketkeeper.session.redis;

import io.ticketkeeper.session.SessionId;

import java.util.Optional;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals sessions for a shared store with AES-256-GCM. An entry is
 * {@code version(1) | idLength(1) | keyId | nonce(12) | ciphertext | tag(16)}; the additional authenticated data
 * binds a domain label, the entry's header and the session id, so an entry copied under another id, or with its
 * key id changed, does not open.
 */
final class SessionSealer {
    static final int VERSION = 1;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] DOMAIN = "ticketkeeper session v1".getBytes(StandardCharsets.US_ASCII);

    private final SealingKey sealing;
    private final Map<String, SealingKey> opening = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(SessionSealer::newCipher);

    SessionSealer(List<SealingKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a sealed store needs at least one sealing key");
        }
        this.sealing = keys.get(0);
        for (SealingKey key : keys) {
            if (opening.put(key.id(), key) != null) {
                throw new IllegalArgumentException("two sealing keys share the id '" + key.id() + "'");
            }
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
        }
    }

    byte[] seal(SessionId id, byte[] session) throws GeneralSecurityException {
        byte[] keyId = sealing.idBytes();
        int headerLength = 2 + keyId.length;
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        Cipher cipher = ciphers.get();
        sealing.init(cipher, Cipher.ENCRYPT_MODE, new GCMParameterSpec(TAG_BITS, nonce));
        ByteBuffer entry = ByteBuffer.allocate(headerLength + NONCE_LENGTH + cipher.getOutputSize(session.length));
        entry.put((byte) VERSION).put((byte) keyId.length).put(keyId);
        cipher.updateAAD(aad(entry.array(), headerLength, id));
        entry.put(nonce);
        cipher.doFinal(ByteBuffer.wrap(session), entry);
        return entry.array();
    }

    /** The session in {@code entry}; empty when it is malformed, under an unknown key, or does not authenticate. */
    Optional<byte[]> open(SessionId id, byte[] entry) {
        if (entry.length < 2 || entry[0] != VERSION) {
            return Optional.empty();
        }
        int keyIdLength = entry[1] & 0xff;
        int headerLength = 2 + keyIdLength;
        if (entry.length < headerLength + NONCE_LENGTH + TAG_BITS / 8) {
            return Optional.empty();
        }
        SealingKey key = opening.get(new String(entry, 2, keyIdLength, StandardCharsets.UTF_8));
        if (key == null) {
            return Optional.empty();
        }
        try {
            Cipher cipher = ciphers.get();
            key.init(cipher, Cipher.DECRYPT_MODE, new GCMParameterSpec(TAG_BITS, entry, headerLength, NONCE_LENGTH));
            cipher.updateAAD(aad(entry, headerLength, id));
            int offset = headerLength + NONCE_LENGTH;
            return Optional.of(cipher.doFinal(entry, offset, entry.length - offset));
        } catch (GeneralSecurityException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static byte[] aad(byte[] header, int headerLength, SessionId id) {
        byte[] idBytes = id.bytes();
        return ByteBuffer.allocate(DOMAIN.length + headerLength + idBytes.length)
                .put(DOMAIN).put(header, 0, headerLength).put(idBytes).array();
    }

    @Override
    public String toString() {
        return "sealed by " + sealing + ", opened by " + opening.keySet();
    }
}

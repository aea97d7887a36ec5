package io.ticketkeeper.internal;

import io.ticketkeeper.session.redis.SealingKey;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;

/**
 * What {@link SealedEntries} needs of a {@link SealingKey} beyond its public API: the id's bytes, a seal counted
 * against the key's budget, the secret handed to a cipher. {@code SealingKey} installs the one implementation when
 * its class is initialised (the JDK's SharedSecrets idiom), so these stay out of the public API while the sealed
 * format lives here, beside the other internals, for the Redis session store and the fleet to share.
 */
public abstract class SealingKeyAccess {
    private static volatile SealingKeyAccess installed;

    /** For {@code SealingKey}'s static initialiser only; a second call fails. */
    public static synchronized void install(SealingKeyAccess access) {
        if (installed != null) {
            throw new IllegalStateException("the SealingKey access is installed already");
        }
        installed = access;
    }

    /** The installed access; a caller holds a SealingKey, so its class has run its initialiser and installed it. */
    static SealingKeyAccess get() {
        SealingKeyAccess access = installed;
        if (access == null) {
            throw new IllegalStateException("SealingKey has not installed its access");
        }
        return access;
    }

    /** The key's id as UTF-8, as written into an entry. */
    protected abstract byte[] idBytes(SealingKey key);

    /**
     * Counts one seal under {@code key}, before it is made.
     *
     * @throws IllegalStateException when the key has used up its budget: the entry must not be sealed
     */
    protected abstract void countSeal(SealingKey key);

    /**
     * Initialises {@code cipher} with {@code key}; the copy of the secret the JCE gets is wiped when this returns.
     *
     * @throws IllegalStateException when the key is destroyed
     */
    protected abstract void init(SealingKey key, Cipher cipher, int mode, AlgorithmParameterSpec parameters)
            throws GeneralSecurityException;
}

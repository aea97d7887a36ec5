package io.ticketkeeper.session.redis;

import io.ticketkeeper.internal.SealingKeyAccess;
import io.ticketkeeper.internal.Secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.security.auth.Destroyable;

/**
 * An AES-256-GCM key that seals session entries in a shared store, with the id written into each entry so that
 * the key can rotate: the first key of a store seals, every listed key opens.
 *
 * <p>The secret is copied in and kept off the Java heap, and {@link #destroy()} overwrites it. What remains on
 * the heap is what the JCE needs to use it: for each seal or open, TicketKeeper hands the JCE a copy that it wipes
 * as soon as the cipher is initialised; the JCE's AES then keeps its expanded round keys (and, in OpenJDK, a copy
 * of the last key) inside each thread's cipher object until that cipher is initialised with another key or is
 * garbage collected. {@link #toString()} shows only the id.
 *
 * <p><b>A budget of seals.</b> Each seal draws a random 96-bit nonce; after about 2^32 seals under one key the
 * chance of a repeated nonce (which would give away the GCM authentication key) passes 2^-32, the bound of NIST SP
 * 800-38D, 8.3. The key counts the seals this JVM made with it, logs a warning naming its id once it reaches
 * {@value #WARN_AT} (2^31), and refuses to seal past {@value #SEAL_BUDGET} (2^32): a store then keeps no new
 * entries (a counted store failure; handshakes go on) until a new key seals. The nodes of a fleet each count their
 * own seals, so rotate well before the budget: put a new key first, keep the old one after it to open.
 */
public final class SealingKey implements Destroyable {
    public static final int KEY_LENGTH = 32;
    public static final int MAX_ID_LENGTH = 64;
    /** The most seals one key makes in this JVM (2^32). */
    public static final long SEAL_BUDGET = 1L << 32;
    /** The count at which the key warns once that it nears its budget (2^31). */
    public static final long WARN_AT = 1L << 31;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final System.Logger LOG = System.getLogger("io.ticketkeeper");

    static {
        // The sealed format (io.ticketkeeper.internal.SealedEntries) reaches the key's id bytes, its seal count and its
        // secret through this, not through public methods.
        SealingKeyAccess.install(new SealingKeyAccess() {
            @Override
            protected byte[] idBytes(SealingKey key) {
                return key.idBytes;
            }

            @Override
            protected void countSeal(SealingKey key) {
                key.countSeal();
            }

            @Override
            protected void init(SealingKey key, Cipher cipher, int mode, AlgorithmParameterSpec parameters)
                    throws GeneralSecurityException {
                key.init(cipher, mode, parameters);
            }
        });
    }

    private final String id;
    private final byte[] idBytes;
    private final ByteBuffer secret;
    private final AtomicLong seals = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile boolean destroyed;

    private SealingKey(String id, byte[] material) {
        this.id = id;
        this.idBytes = id.getBytes(StandardCharsets.UTF_8);
        this.secret = ByteBuffer.allocateDirect(KEY_LENGTH).put(0, material);
    }

    /**
     * Counts one seal under this key, before it is made.
     *
     * @throws IllegalStateException when the key has made {@link #SEAL_BUDGET} seals already: the entry must not be
     *     sealed
     */
    private void countSeal() {
        long count = seals.incrementAndGet();
        if (count > SEAL_BUDGET) {
            throw new IllegalStateException("sealing key '" + id + "' has sealed " + SEAL_BUDGET + " entries (2^32), "
                    + "the budget of AES-GCM with random nonces: it seals no more. Put a new key first in the list "
                    + "(the old one after it keeps opening)");
        }
        if (count >= WARN_AT && !warned.get() && warned.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "sealing key '" + id + "' has sealed " + count + " entries, half "
                    + "of its budget of 2^32 (AES-GCM with random nonces); it stops sealing at the budget: rotate it "
                    + "now (put a new key first, keep this one after it to open)");
        }
    }

    /** The seals this JVM made with the key. */
    public long seals() {
        return Math.min(seals.get(), SEAL_BUDGET);
    }

    /** For tests: as if the key had made {@code count} seals already. */
    void sealsSoFar(long count) {
        seals.set(count);
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
        return new SealingKey(id, material);
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

    /**
     * Initialises {@code cipher} with this key. The copy the JCE gets is wiped when this returns, whether the
     * initialisation worked or not.
     *
     * @throws IllegalStateException when the key is destroyed
     */
    private void init(Cipher cipher, int mode, AlgorithmParameterSpec parameters) throws GeneralSecurityException {
        if (destroyed) {
            throw new IllegalStateException(this + " is destroyed");
        }
        HandedKey handed = new HandedKey();
        try {
            cipher.init(mode, handed, parameters);
        } finally {
            handed.wipe();
        }
    }

    /** Overwrites the secret. A destroyed key seals and opens nothing. */
    @Override
    public void destroy() {
        destroyed = true;
        Secrets.wipe(secret, KEY_LENGTH);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Equal keys have the same id and the same secret (compared in constant time). */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof SealingKey that) || !id.equals(that.id) || destroyed || that.destroyed) {
            return false;
        }
        return Secrets.equal(secret, that.secret, KEY_LENGTH);
    }

    /** From the id only, which is not secret. */
    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** The id only: the secret is never printed. */
    @Override
    public String toString() {
        return "SealingKey{" + id + (destroyed ? ", destroyed" : "") + "}";
    }

    /**
     * The JCE's view of the secret for one initialisation: each {@link #getEncoded()} is a fresh copy (the JCE may
     * wipe what it gets), and every copy handed out is wiped when the initialisation is over.
     */
    private final class HandedKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final transient List<byte[]> copies = new ArrayList<>(1);

        @Override
        public String getAlgorithm() {
            return "AES";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            byte[] copy = new byte[KEY_LENGTH];
            secret.get(0, copy);
            copies.add(copy);
            return copy;
        }

        void wipe() {
            copies.forEach(copy -> Arrays.fill(copy, (byte) 0));
        }
    }
}

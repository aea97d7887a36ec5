package io.ticketkeeper.fleet;

import io.ticketkeeper.ScheduledKey;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.internal.WeakKeys;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fleet key as a node holds it: its period, its entry as Redis keeps it (wrapped, so it can be written back as
 * it is), the ticket key and its schedule. The one place that turns fleet entries into the library's keys
 * ({@link TicketKey}, {@link ScheduledKey}); the Redis protocol, the wrapping and the schedule arithmetic know
 * nothing of them.
 *
 * <p>The unwrapped plaintext of an entry is {@code name(16) | HMAC-SHA256 key(32) | AES-256 key(32) |
 * notBefore(8) | sealUntil(8) | openUntil(8)}, times in milliseconds since the epoch, big-endian.
 */
final class FleetKey {
    static final int NAME_LENGTH = 16;
    static final int SECRET_LENGTH = 32;
    static final int PLAINTEXT_LENGTH = NAME_LENGTH + 2 * SECRET_LENGTH + 3 * Long.BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Who may destroy the key: nobody yet, a key ring (it was handed out), or this node's source (it was not). */
    private static final int NEW = 0;
    private static final int RING = 1;
    private static final int SOURCE = 2;

    private final long index;
    private final byte[] entry;
    private final TicketKey key;
    private final long notBefore;
    private final long sealUntil;
    private final long openUntil;
    private final AtomicInteger owner = new AtomicInteger(NEW);

    private FleetKey(long index, byte[] entry, TicketKey key, long notBefore, long sealUntil, long openUntil) {
        this.index = index;
        this.entry = entry;
        this.key = key;
        this.notBefore = notBefore;
        this.sealUntil = sealUntil;
        this.openUntil = openUntil;
    }

    /** The plaintext of a fresh key from a CSPRNG with this schedule; the caller wipes it. */
    static byte[] newPlaintext(long notBefore, long sealUntil, long openUntil) {
        byte[] name = new byte[NAME_LENGTH];
        byte[] secrets = new byte[2 * SECRET_LENGTH];
        RANDOM.nextBytes(name);
        do {
            RANDOM.nextBytes(secrets);
        } while (weak(secrets, 0) || weak(secrets, SECRET_LENGTH));
        try {
            return ByteBuffer.allocate(PLAINTEXT_LENGTH).put(name).put(secrets)
                    .putLong(notBefore).putLong(sealUntil).putLong(openUntil).array();
        } finally {
            Arrays.fill(secrets, (byte) 0);
        }
    }

    /** Whether the secret at {@code from} is one TicketKey would refuse (never, in practice, for random bytes). */
    private static boolean weak(byte[] bytes, int from) {
        byte[] secret = Arrays.copyOfRange(bytes, from, from + SECRET_LENGTH);
        try {
            return WeakKeys.weakness(secret) != null;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * The key of period {@code index} from an unwrapped {@code plaintext} (which the caller wipes), kept with its
     * {@code entry}.
     *
     * @throws GeneralSecurityException saying why the plaintext is no key of this fleet: another layout, another
     *     schedule, a secret TicketKey refuses
     */
    static FleetKey of(long index, byte[] entry, byte[] plaintext, FleetSchedule schedule)
            throws GeneralSecurityException {
        if (plaintext.length != PLAINTEXT_LENGTH) {
            throw new GeneralSecurityException("unwraps to " + plaintext.length + " bytes, not a fleet key ("
                    + PLAINTEXT_LENGTH + ")");
        }
        ByteBuffer times = ByteBuffer.wrap(plaintext, NAME_LENGTH + 2 * SECRET_LENGTH, 3 * Long.BYTES);
        long notBefore = times.getLong();
        long sealUntil = times.getLong();
        long openUntil = times.getLong();
        String mismatch = schedule.mismatch(index, notBefore, sealUntil, openUntil);
        if (mismatch != null) {
            throw new GeneralSecurityException("not this fleet's key: " + mismatch);
        }
        byte[] name = Arrays.copyOfRange(plaintext, 0, NAME_LENGTH);
        byte[] hmac = Arrays.copyOfRange(plaintext, NAME_LENGTH, NAME_LENGTH + SECRET_LENGTH);
        byte[] aes = Arrays.copyOfRange(plaintext, NAME_LENGTH + SECRET_LENGTH, NAME_LENGTH + 2 * SECRET_LENGTH);
        try {
            TicketKey key = TicketKey.of(name, hmac, aes);
            return new FleetKey(index, entry.clone(), key, notBefore, sealUntil, openUntil);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not a ticket key: " + e.getMessage(), e);
        } finally {
            Arrays.fill(hmac, (byte) 0);
            Arrays.fill(aes, (byte) 0);
        }
    }

    long index() {
        return index;
    }

    /** The entry as Redis keeps it (not a copy: never changed). */
    byte[] entry() {
        return entry;
    }

    boolean sameEntry(byte[] other) {
        return Arrays.equals(entry, other);
    }

    long notBefore() {
        return notBefore;
    }

    long sealUntil() {
        return sealUntil;
    }

    long openUntil() {
        return openUntil;
    }

    /** Whether two keys carry the same ticket key name (the same key written twice, or a clash). */
    boolean sameName(FleetKey other) {
        return Arrays.equals(key.name(), other.key.name());
    }

    String displayName() {
        return key.displayName();
    }

    /**
     * The key for a ring, sealing until {@code sealUntilMillis} ({@code Long.MIN_VALUE}: never); null when it is
     * destroyed already (by this node's source, or by a ring it left). From here on the ring owns the key and
     * destroys it when it leaves.
     */
    ScheduledKey scheduled(long sealUntilMillis) {
        if (!owner.compareAndSet(NEW, RING) && owner.get() != RING || key.isDestroyed()) {
            return null;
        }
        Instant sealEnd = sealUntilMillis == Long.MIN_VALUE ? ScheduledKey.DISTANT_PAST
                : Instant.ofEpochMilli(sealUntilMillis);
        return ScheduledKey.of(key, Instant.ofEpochMilli(notBefore), sealEnd, Instant.ofEpochMilli(openUntil));
    }

    /** Destroys the key unless a ring owns it: one the source dropped before any ring saw it. */
    void destroyUnlessRingOwned() {
        if (owner.compareAndSet(NEW, SOURCE)) {
            key.destroy();
        }
    }

    /** Destroys the key whoever owns it: the source is closing, after the handles that used it. */
    void destroy() {
        owner.set(SOURCE);
        key.destroy();
    }

    @Override
    public String toString() {
        return "FleetKey{period " + index + ", " + key + ", seals " + notBefore + ".." + sealUntil + ", opens until "
                + openUntil + "}";
    }
}

package io.ticketkeeper;

import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.CacheShimStats;
import io.ticketkeeper.internal.Hkdf;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.KeyLayout;
import io.ticketkeeper.internal.KeyReader;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.SessionNatives;
import io.ticketkeeper.internal.ShimStats;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.internal.UpcallStubs;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The handle's "installation" in key-management mode ({@link TicketKeeper#manageKeys}): no native library, no
 * context; each change of the keys, or of which key seals, goes to a {@link KeyExporter} as keys derived for the
 * foreign stack, the key that seals now first, then every key that still opens (staged keys included, so that a
 * ticket a fleet peer sealed with its newer key opens here already).
 *
 * <p>Derivation: HKDF-SHA256 with the key's name as salt, its HMAC and AES secrets as input and the caller's label
 * as info. Every server of a fleet derives the same bytes from the same ring key; the label keeps the derived
 * secrets apart from the ring key's own (which a TicketKeeper server with installed callbacks, nginx or HAProxy may
 * use) and from those of another label.
 */
final class KeyExportInstallation implements Installation {
    private static final Logger LOG = System.getLogger("io.ticketkeeper");

    private final KeyReader reader;
    private final byte[] label;
    private final int secretLength;
    private final KeyExporter exporter;
    /** What was exported last: the snapshot and the keys in export order (identities); null before the first. */
    private KeySnapshot exportedSnapshot;
    private List<TicketKey> exportedOrder;
    private boolean warnedNoSealer;

    private KeyExportInstallation(KeyReader reader, String label, int secretLength, KeyExporter exporter) {
        this.reader = reader;
        this.label = label.getBytes(StandardCharsets.UTF_8);
        this.secretLength = secretLength;
        this.exporter = exporter;
    }

    /** A backend that makes this installation and loads nothing native. */
    static Backend backend(String label, int secretLength, KeyExporter exporter) {
        return new Backend() {
            @Override
            public String name() {
                return "key-management";
            }

            @Override
            public Installation install(TicketDecider decider, SessionCacheBridge sessionCache, KeyReader keys) {
                return new KeyExportInstallation(keys, label, secretLength, exporter);
            }

            @Override
            public SessionNatives sessionNatives() {
                throw new UnsupportedOperationException("key-management mode has no native library");
            }

            @Override
            public UpcallStubs upcallStubs(TicketDecider decider) {
                throw new UnsupportedOperationException("key-management mode has no native library");
            }
        };
    }

    @Override
    public void publish(KeySnapshot snapshot) {
        // The keys in order at this instant are exported by observe(), which the handle calls right after.
    }

    @Override
    public void observe(KeySnapshot snapshot, long nowMillis) {
        List<TicketKey> order = order(snapshot, nowMillis);
        if (snapshot == exportedSnapshot && order.equals(exportedOrder)) {
            return;
        }
        List<ExportedKey> keys = new ArrayList<>(order.size());
        try {
            for (TicketKey key : order) {
                keys.add(derive(key));
            }
            if (keys.isEmpty()) {
                // No key opens: a fresh random key nobody knows replaces the stack's keys, so none opens any more.
                keys.add(derive(TicketKey.generate()));
                LOG.log(Level.WARNING, "TicketKeeper's key ring holds no key that opens tickets: the exported "
                        + "keys are replaced by one random key known to this server only");
            }
            exporter.apply(List.copyOf(keys));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "TicketKeeper could not hand its keys to " + exporter + "; the keys exported "
                    + "before stay in force: " + e);
            throw e;
        } finally {
            for (ExportedKey key : keys) {
                key.wipe();
            }
        }
        exportedSnapshot = snapshot;
        exportedOrder = order;
    }

    /** The key that seals now first (the newest, else the newest that opens), then every other key that opens. */
    private List<TicketKey> order(KeySnapshot snapshot, long nowMillis) {
        int sealer = -1;
        for (int slot = 0; slot < snapshot.size() && sealer < 0; slot++) {
            if (snapshot.seals(slot, nowMillis)) {
                sealer = slot;
            }
        }
        List<TicketKey> order = new ArrayList<>();
        if (sealer >= 0) {
            order.add(snapshot.key(sealer));
            warnedNoSealer = false;
        }
        for (int slot = 0; slot < snapshot.size(); slot++) {
            if (slot != sealer && snapshot.opens(slot, nowMillis)) {
                order.add(snapshot.key(slot));
            }
        }
        if (sealer < 0 && !order.isEmpty() && !warnedNoSealer) {
            warnedNoSealer = true;
            LOG.log(Level.WARNING, "no key of TicketKeeper's ring may seal now; the stack seals with its first key "
                    + "whatever TicketKeeper says, so the newest key that opens, " + order.get(0).displayName()
                    + ", seals until one may");
        }
        return List.copyOf(order);
    }

    private ExportedKey derive(TicketKey key) {
        ByteBuffer material = reader.material(key);
        int hmacLength = material.getInt(KeyLayout.HMAC_KEY_LEN_OFFSET);
        int aesLength = material.getInt(KeyLayout.AES_KEY_LEN_OFFSET);
        byte[] name = new byte[KeyLayout.NAME_LENGTH];
        byte[] secret = new byte[hmacLength + aesLength];
        byte[] derived = null;
        try {
            material.get(KeyLayout.NAME_OFFSET, name);
            material.get(KeyLayout.HMAC_KEY_OFFSET, secret, 0, hmacLength);
            material.get(KeyLayout.AES_KEY_OFFSET, secret, hmacLength, aesLength);
            derived = Hkdf.derive(name, secret, label, 2 * secretLength);
            return new ExportedKey(name, Arrays.copyOfRange(derived, 0, secretLength),
                    Arrays.copyOfRange(derived, secretLength, 2 * secretLength), key.displayName());
        } finally {
            Arrays.fill(secret, (byte) 0);
            if (derived != null) {
                Arrays.fill(derived, (byte) 0);
            }
        }
    }

    @Override
    public void attach(long sslCtx, long contextId) {
        throw new IllegalStateException("this handle manages the keys of another TLS stack (TicketKeeper.manageKeys,"
                + " through " + exporter + "): it takes no SSL_CTX");
    }

    @Override
    public void detach(long sslCtx) {
        throw new IllegalStateException("this handle has no SSL_CTX");
    }

    @Override
    public int contextState(long contextId) {
        throw new IllegalStateException("this handle has no SSL_CTX");
    }

    @Override
    public int contextFindings(long sslCtx) {
        throw new IllegalStateException("this handle has no SSL_CTX");
    }

    @Override
    public void setSessionIdContext(long sslCtx, byte[] context) {
        throw new IllegalStateException("this handle has no SSL_CTX");
    }

    @Override
    public byte[] nginxSessionIdContext(long sslCtx, byte[] prefix) {
        throw new IllegalStateException("this handle has no SSL_CTX");
    }

    @Override
    public void attachSessionCache(long sslCtx, boolean internalCache) {
        throw new IllegalStateException("this handle has no SSL_CTX");
    }

    @Override
    public void addSession(long sslCtx, byte[] session) {
        throw new IllegalStateException("this handle has no SSL_CTX");
    }

    @Override
    public void attachEarlyData(long sslCtx, int maxBytes) {
        throw new IllegalStateException("this handle has no SSL_CTX");
    }

    @Override
    public void computeTicketIds(boolean on) {
        // No session ticket callback of ours runs here: there is no session view to fill.
    }

    @Override
    public int earlyDataStatus(long ssl) {
        throw new IllegalStateException("this handle manages the keys of another TLS stack: its connections' early "
                + "data is that stack's");
    }

    @Override
    public ShimStats shimStats() {
        return ShimStats.NONE;
    }

    @Override
    public CacheShimStats cacheShimStats() {
        return CacheShimStats.NONE;
    }

    @Override
    public void close() {
        // Nothing native; the exported keys stay with the stack, which its owner stops.
    }
}

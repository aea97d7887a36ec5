package io.ticketkeeper.jna;

import static io.ticketkeeper.internal.ShimCodes.CACHE_EXTERNAL;
import static io.ticketkeeper.internal.ShimCodes.CACHE_INTERNAL;
import static io.ticketkeeper.internal.ShimLayout.CACHE_STATS_SIZE;
import static io.ticketkeeper.internal.ShimLayout.STATS_SIZE;
import static io.ticketkeeper.internal.ShimResults.context;

import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.internal.CacheShimStats;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.KeyLayout;
import io.ticketkeeper.internal.KeyReader;
import io.ticketkeeper.internal.ShimStats;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code tk_handle} through JNA, with the callbacks and tables that must outlive every upcall: they are held
 * here until {@link #close()} returned from tk_close, after which no upcall runs. Every installation stays in
 * {@link #LIVE} until then, so that a handle its application dropped without closing keeps its callbacks: JNA holds
 * a callback only weakly, and a collected one answers 0, which the shim reads as an abort (issue 18, item 2).
 */
final class JnaInstallation implements Installation {
    /** The installations not closed yet: strong references for the native side (JNA's callbacks, the JNI table). */
    private static final Set<JnaInstallation> LIVE = ConcurrentHashMap.newKeySet();

    private final long handle;
    private final KeyReader keys;
    /** Runs once tk_close has returned: gives back what the upcalls held (the JNI global reference). */
    private final Runnable closed;
    /** Strong references for the native side, which JNA's weak callback references would otherwise lose. */
    @SuppressWarnings("unused")
    private final Object[] keptAlive;

    JnaInstallation(long handle, KeyReader keys, Runnable closed, Object... keptAlive) {
        this.handle = handle;
        this.keys = keys;
        this.closed = closed;
        this.keptAlive = keptAlive;
        LIVE.add(this);
    }

    @Override
    public void attach(long sslCtx, long contextId) {
        JnaBackend.check(JnaShim.tk_attach(handle, sslCtx, contextId),
                "attach TicketKeeper to " + context(sslCtx));
    }

    @Override
    public void detach(long sslCtx) {
        JnaBackend.check(JnaShim.tk_detach(handle, sslCtx), "detach " + context(sslCtx));
    }

    @Override
    public int contextState(long contextId) {
        return JnaShim.tk_context_state(handle, contextId);
    }

    @Override
    public int contextFindings(long sslCtx) {
        int[] findings = new int[1];
        JnaBackend.check(JnaShim.tk_context_findings(handle, sslCtx, findings),
                "read the findings about " + context(sslCtx));
        return findings[0];
    }

    @Override
    public void publish(KeySnapshot snapshot) {
        int count = snapshot.size();
        try (Memory table = new Memory((long) Math.max(1, count) * KeyLayout.SIZE)) {
            try {
                // Off-heap to off-heap: the key bytes never pass through a Java array.
                ByteBuffer tableBytes = table.getByteBuffer(0, table.size());
                for (int slot = 0; slot < count; slot++) {
                    tableBytes.put(slot * KeyLayout.SIZE, keys.material(snapshot.key(slot)), 0, KeyLayout.SIZE);
                }
                JnaBackend.check(JnaShim.tk_publish_keys(handle, Pointer.nativeValue(table), count,
                        snapshot.generation()), "publish " + count + " keys");
            } finally {
                table.clear();
            }
        }
    }

    @Override
    public void setSessionIdContext(long sslCtx, byte[] context) {
        JnaBackend.check(JnaShim.tk_set_session_id_context(handle, sslCtx, context, context.length),
                "set the session id context of " + context(sslCtx));
    }

    @Override
    public byte[] nginxSessionIdContext(long sslCtx, byte[] prefix) {
        byte[] out = new byte[20];
        JnaBackend.check(JnaShim.tk_nginx_session_id_context(handle, sslCtx, prefix, prefix.length, out),
                "derive nginx's session id context for " + context(sslCtx));
        return out;
    }

    @Override
    public void attachSessionCache(long sslCtx, boolean internalCache) {
        JnaBackend.check(JnaShim.tk_cache_attach(handle, sslCtx, internalCache ? CACHE_INTERNAL : CACHE_EXTERNAL),
                "install the session cache on " + context(sslCtx));
    }

    @Override
    public void addSession(long sslCtx, byte[] session) {
        JnaBackend.withSecret(session, der -> JnaBackend.check(JnaShim.tk_cache_add_session(handle, sslCtx, der,
                session.length), "add a session to " + context(sslCtx)));
    }

    @Override
    public void attachEarlyData(long sslCtx, int maxBytes) {
        JnaBackend.check(JnaShim.tk_early_data_attach(handle, sslCtx, maxBytes), "turn early data on for "
                + context(sslCtx));
    }

    @Override
    public void computeTicketIds(boolean on) {
        JnaBackend.check(JnaShim.tk_set_ticket_ids(handle, on ? 1 : 0), "compute ticket ids");
    }

    @Override
    public int earlyDataStatus(long ssl) {
        return JnaShim.tk_early_data_status(ssl);
    }

    @Override
    public ShimStats shimStats() {
        try (Memory stats = new Memory(STATS_SIZE)) {
            JnaShim.tk_get_stats(handle, Pointer.nativeValue(stats));
            return new ShimStats(stats.getLong(0), stats.getLong(8), stats.getLong(16), stats.getLong(24),
                    stats.getLong(32));
        }
    }

    @Override
    public CacheShimStats cacheShimStats() {
        try (Memory stats = new Memory(CACHE_STATS_SIZE)) {
            JnaShim.tk_cache_get_stats(handle, Pointer.nativeValue(stats));
            return new CacheShimStats(stats.getLong(0), stats.getLong(8), stats.getLong(16), stats.getLong(24));
        }
    }

    @Override
    public void close() {
        JnaShim.tk_close(handle);
        closed.run();
        LIVE.remove(this);
    }
}

package io.ticketkeeper.ffm;

import static io.ticketkeeper.internal.ShimResults.context;

import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_cache_stats;
import io.ticketkeeper.ffm.shim.tk_key;
import io.ticketkeeper.ffm.shim.tk_stats;
import io.ticketkeeper.internal.CacheShimStats;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.KeyReader;
import io.ticketkeeper.internal.ShimStats;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One {@code tk_handle} and the arena that holds its upcall stubs. The arena is a shared one, which only
 * {@link #close()} frees (never the garbage collector, as an automatic arena would), and each stub holds its target
 * strongly: a handle dropped without close keeps answering its upcalls.
 */
final class FfmInstallation implements Installation {
    private final MemorySegment handle;
    private final Arena upcallArena;
    private final KeyReader keys;

    FfmInstallation(MemorySegment handle, Arena upcallArena, KeyReader keys) {
        this.handle = handle;
        this.upcallArena = upcallArena;
        this.keys = keys;
    }

    @Override
    public void attach(long sslCtx, long contextId) {
        FfmBackend.check(TicketKeeperShim.tk_attach(handle, MemorySegment.ofAddress(sslCtx), contextId),
                "attach TicketKeeper to " + context(sslCtx));
    }

    @Override
    public void detach(long sslCtx) {
        FfmBackend.check(TicketKeeperShim.tk_detach(handle, MemorySegment.ofAddress(sslCtx)),
                "detach " + context(sslCtx));
    }

    @Override
    public int contextState(long contextId) {
        return TicketKeeperShim.tk_context_state(handle, contextId);
    }

    @Override
    public int contextFindings(long sslCtx) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment findings = arena.allocate(ValueLayout.JAVA_INT);
            FfmBackend.check(TicketKeeperShim.tk_context_findings(handle, MemorySegment.ofAddress(sslCtx), findings),
                    "read the findings about " + context(sslCtx));
            return findings.get(ValueLayout.JAVA_INT, 0);
        }
    }

    @Override
    public void publish(KeySnapshot snapshot) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = tk_key.allocateArray(Math.max(1, snapshot.size()), arena);
            try {
                for (int slot = 0; slot < snapshot.size(); slot++) {
                    MemorySegment material = MemorySegment.ofBuffer(keys.material(snapshot.key(slot)));
                    tk_key.asSlice(table, slot).copyFrom(material);
                }
                FfmBackend.check(TicketKeeperShim.tk_publish_keys(handle, table, snapshot.size(),
                        snapshot.generation()), "publish " + snapshot.size() + " keys");
            } finally {
                table.fill((byte) 0);
            }
        }
    }

    @Override
    public void setSessionIdContext(long sslCtx, byte[] context) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Math.max(1, context.length));
            MemorySegment.copy(context, 0, bytes, ValueLayout.JAVA_BYTE, 0, context.length);
            FfmBackend.check(TicketKeeperShim.tk_set_session_id_context(handle, MemorySegment.ofAddress(sslCtx),
                    bytes, context.length), "set the session id context of " + context(sslCtx));
        }
    }

    @Override
    public byte[] nginxSessionIdContext(long sslCtx, byte[] prefix) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment prefixBytes = arena.allocate(Math.max(1, prefix.length));
            MemorySegment.copy(prefix, 0, prefixBytes, ValueLayout.JAVA_BYTE, 0, prefix.length);
            MemorySegment out = arena.allocate(TicketKeeperShim.TK_SHA1_LEN());
            FfmBackend.check(TicketKeeperShim.tk_nginx_session_id_context(handle, MemorySegment.ofAddress(sslCtx),
                    prefixBytes, prefix.length, out), "derive nginx's session id context for " + context(sslCtx));
            return out.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public void attachSessionCache(long sslCtx, boolean internalCache) {
        int mode = internalCache ? TicketKeeperShim.TK_CACHE_INTERNAL() : TicketKeeperShim.TK_CACHE_EXTERNAL();
        FfmBackend.check(TicketKeeperShim.tk_cache_attach(handle, MemorySegment.ofAddress(sslCtx), mode),
                "install the session cache on " + context(sslCtx));
    }

    @Override
    public void addSession(long sslCtx, byte[] session) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment der = arena.allocateFrom(ValueLayout.JAVA_BYTE, session);
            try {
                FfmBackend.check(TicketKeeperShim.tk_cache_add_session(handle, MemorySegment.ofAddress(sslCtx), der,
                        session.length), "add a session to " + context(sslCtx));
            } finally {
                der.fill((byte) 0);
            }
        }
    }

    @Override
    public void attachEarlyData(long sslCtx, int maxBytes) {
        FfmBackend.check(TicketKeeperShim.tk_early_data_attach(handle, MemorySegment.ofAddress(sslCtx), maxBytes),
                "turn early data on for " + context(sslCtx));
    }

    @Override
    public void computeTicketIds(boolean on) {
        FfmBackend.check(TicketKeeperShim.tk_set_ticket_ids(handle, on ? 1 : 0), "compute ticket ids");
    }

    @Override
    public int earlyDataStatus(long ssl) {
        return TicketKeeperShim.tk_early_data_status(MemorySegment.ofAddress(ssl));
    }

    @Override
    public ShimStats shimStats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stats = tk_stats.allocate(arena);
            TicketKeeperShim.tk_get_stats(handle, stats);
            return new ShimStats(tk_stats.closed_callbacks(stats), tk_stats.detached_callbacks(stats),
                    tk_stats.crypto_errors(stats), tk_stats.bad_decisions(stats),
                    tk_stats.unstamped_tickets_refused(stats));
        }
    }

    @Override
    public CacheShimStats cacheShimStats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stats = tk_cache_stats.allocate(arena);
            TicketKeeperShim.tk_cache_get_stats(handle, stats);
            return new CacheShimStats(tk_cache_stats.stateless_skipped(stats), tk_cache_stats.too_large(stats),
                    tk_cache_stats.bad_sessions(stats), tk_cache_stats.closed_callbacks(stats));
        }
    }

    @Override
    public void close() {
        TicketKeeperShim.tk_close(handle);
        upcallArena.close();
    }
}

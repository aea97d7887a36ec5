package io.ticketkeeper.ffm;

import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.ffm.shim.tk_key;
import io.ticketkeeper.ffm.shim.tk_stats;
import io.ticketkeeper.internal.CacheShimStats;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.KeyAccess;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.ShimStats;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** One {@code tk_handle} and the arena that holds its upcall stubs. */
final class FfmInstallation implements Installation {
    private final MemorySegment handle;
    private final Arena upcallArena;

    FfmInstallation(MemorySegment handle, Arena upcallArena) {
        this.handle = handle;
        this.upcallArena = upcallArena;
    }

    @Override
    public void publish(KeySnapshot snapshot) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keys = tk_key.allocateArray(Math.max(1, snapshot.size()), arena);
            try {
                for (int slot = 0; slot < snapshot.size(); slot++) {
                    MemorySegment material = MemorySegment.ofBuffer(KeyAccess.material(snapshot.key(slot)));
                    tk_key.asSlice(keys, slot).copyFrom(material);
                }
                int result = TicketKeeperShim.tk_publish_keys(handle, keys, snapshot.size(), snapshot.generation());
                if (result != TicketKeeperShim.TK_OK()) {
                    throw new TicketKeeperException("could not publish " + snapshot.size() + " keys: "
                            + describe(result));
                }
            } finally {
                keys.fill((byte) 0);
            }
        }
    }

    @Override
    public ShimStats shimStats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stats = tk_stats.allocate(arena);
            TicketKeeperShim.tk_get_stats(handle, stats);
            return new ShimStats(tk_stats.closed_callbacks(stats), tk_stats.crypto_errors(stats),
                    tk_stats.bad_decisions(stats));
        }
    }

    @Override
    public void installSessionCache(long sslCtx, SessionCacheBridge bridge, boolean internalCache) {
        FfmSessionCache.install(handle, sslCtx, bridge, internalCache, upcallArena);
    }

    @Override
    public CacheShimStats cacheShimStats() {
        return FfmSessionCache.stats(handle);
    }

    @Override
    public void close() {
        TicketKeeperShim.tk_close(handle);
        upcallArena.close();
    }

    static String describe(int result) {
        return TicketKeeperShim.tk_result_string(result).getString(0) + " (" + result + ")";
    }
}

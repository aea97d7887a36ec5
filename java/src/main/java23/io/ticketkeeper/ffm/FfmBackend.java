package io.ticketkeeper.ffm;

import io.ticketkeeper.ffm.shim.TicketKeeperShim;
import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.Installation;
import io.ticketkeeper.internal.KeyReader;
import io.ticketkeeper.internal.NativeLibrary;
import io.ticketkeeper.internal.SessionCacheBridge;
import io.ticketkeeper.internal.SessionCacheUpcalls;
import io.ticketkeeper.internal.SessionNatives;
import io.ticketkeeper.internal.ShimResults;
import io.ticketkeeper.internal.TicketDecider;
import io.ticketkeeper.internal.TicketUpcalls;
import io.ticketkeeper.internal.UpcallStubs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Panama FFM backend: upcall stubs into the upcall body ({@link TicketUpcalls}) over {@link FfmMemory}, downcalls
 * through jextract's bindings.
 */
public final class FfmBackend implements Backend {
    public FfmBackend() {
        NativeLibrary.ensureLoaded(TicketKeeperShim.TK_API_VERSION(), TicketKeeperShim::tk_api_version);
    }

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public SessionNatives sessionNatives() {
        return new FfmSessionNatives();
    }

    @Override
    public Installation install(TicketDecider decider, SessionCacheBridge sessionCache, KeyReader keys) {
        // The stubs live until the installation closes, which happens only once no upcall can run.
        Arena arena = Arena.ofShared();
        try {
            MemorySegment upcalls = stubs(decider).upcallTable(arena);
            MemorySegment cacheUpcalls = sessionCache == null ? MemorySegment.NULL
                    : FfmSessionCache.upcallTable(
                            new SessionCacheUpcalls(sessionCache, FfmMemory.INSTANCE), arena);
            MemorySegment outHandle = arena.allocate(ValueLayout.ADDRESS);
            check(TicketKeeperShim.tk_handle_new(upcalls, cacheUpcalls, outHandle), "make a TicketKeeper handle");
            return new FfmInstallation(outHandle.get(ValueLayout.ADDRESS, 0), arena, keys);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public UpcallStubs upcallStubs(TicketDecider decider) {
        Arena arena = Arena.ofShared();
        FfmUpcalls upcalls = stubs(decider);
        long seal = upcalls.sealStub(arena).address();
        long open = upcalls.openStub(arena).address();
        long stamp = upcalls.stampStub(arena).address();
        long session = upcalls.sessionStub(arena).address();
        return new UpcallStubs() {
            @Override
            public long user() {
                return 0;
            }

            @Override
            public long seal() {
                return seal;
            }

            @Override
            public long open() {
                return open;
            }

            @Override
            public long stamp() {
                return stamp;
            }

            @Override
            public long session() {
                return session;
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }

    private static FfmUpcalls stubs(TicketDecider decider) {
        return new FfmUpcalls(new TicketUpcalls(decider, FfmMemory.INSTANCE));
    }

    /** Throws the exception {@link ShimResults} gives a failed shim call. */
    static void check(int result, String what) {
        ShimResults.check(result, what, FfmBackend::describe);
    }

    static String describe(int result) {
        return TicketKeeperShim.tk_result_string(result).getString(0);
    }
}

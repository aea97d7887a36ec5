package io.ticketkeeper.ffm;

import io.ticketkeeper.ffm.shim.tk_decrypt_fn;
import io.ticketkeeper.ffm.shim.tk_encrypt_fn;
import io.ticketkeeper.ffm.shim.tk_generate_fn;
import io.ticketkeeper.ffm.shim.tk_session_fn;
import io.ticketkeeper.internal.TicketDecider;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Benchmark access to the upcall stubs exactly as {@link FfmBackend} makes them for the shim: the package-private
 * {@link FfmUpcalls} targets over a {@link TicketDecider}. A benchmark calls a stub's address with the generated
 * {@code tk_*_fn.invoke} helpers, so it measures the native-to-Java transition plus the decision, without a
 * handshake around it. It lives in the library's package (in the bench module only) so that the library does not
 * widen its API for benchmarks.
 */
public final class UpcallStubs implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment encrypt;
    private final MemorySegment decrypt;
    private final MemorySegment generate;
    private final MemorySegment session;
    private final MemorySegment empty;

    public UpcallStubs(TicketDecider decider) {
        FfmUpcalls upcalls = new FfmUpcalls(decider);
        encrypt = upcalls.encryptStub(arena);
        decrypt = upcalls.decryptStub(arena);
        generate = upcalls.generateStub(arena);
        session = upcalls.sessionStub(arena);
        empty = tk_decrypt_fn.allocate(UpcallStubs::nothing, arena);
    }

    /** The baseline: a decrypt-shaped upcall (scalars only) that decides nothing, so only the transitions remain. */
    private static int nothing(long generation, int slot) {
        return 0;
    }

    /** {@code outLifetime} receives the ticket lifetime the policy chose, as the shim's out_lifetime_s does. */
    public int encrypt(long generation, MemorySegment outLifetime) {
        return tk_encrypt_fn.invoke(encrypt, generation, outLifetime);
    }

    public int decrypt(long generation, int slot) {
        return tk_decrypt_fn.invoke(decrypt, generation, slot);
    }

    public int generate(MemorySegment outStamp) {
        return tk_generate_fn.invoke(generate, outStamp);
    }

    public int session(MemorySegment view) {
        return tk_session_fn.invoke(session, view);
    }

    public int empty(long generation) {
        return tk_decrypt_fn.invoke(empty, generation, 0);
    }

    @Override
    public void close() {
        arena.close();
    }
}

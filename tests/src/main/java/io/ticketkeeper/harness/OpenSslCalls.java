package io.ticketkeeper.harness;

import static io.ticketkeeper.openssl.ffm.OpenSsl.ERR_error_string_n;
import static io.ticketkeeper.openssl.ffm.OpenSsl.ERR_get_error;
import static io.ticketkeeper.openssl.ffm.OpenSsl.SSL_CTX_free;
import static io.ticketkeeper.openssl.ffm.OpenSsl.SSL_CTX_new;

import io.ticketkeeper.internal.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Checks OpenSSL results and turns OpenSSL's error queue into exception messages. */
public final class OpenSslCalls {
    static {
        // The generated bindings resolve OpenSSL's symbols through the loaded shim, which links libssl.
        NativeLibrary.ensureLoaded();
    }

    private OpenSslCalls() {
    }

    public static void init() {
    }

    /** Throws when {@code result} is not 1, OpenSSL's success. */
    public static void check(long result, String what) {
        if (result != 1) {
            throw new IllegalStateException(what + " failed (" + result + "): " + drainErrors());
        }
    }

    public static MemorySegment checkNotNull(MemorySegment pointer, String what) {
        if (pointer.equals(MemorySegment.NULL)) {
            throw new IllegalStateException(what + " returned NULL: " + drainErrors());
        }
        return pointer;
    }

    /**
     * Makes an {@code SSL_CTX} for {@code method} and lets {@code configure} set it up; when that throws, the
     * context is freed before the exception goes on.
     */
    public static MemorySegment newContext(MemorySegment method, java.util.function.Consumer<MemorySegment> configure) {
        MemorySegment ctx = checkNotNull(SSL_CTX_new(method), "SSL_CTX_new");
        try {
            configure.accept(ctx);
            return ctx;
        } catch (RuntimeException e) {
            SSL_CTX_free(ctx);
            throw e;
        }
    }

    /** Empties this thread's OpenSSL error queue into one line. */
    public static String drainErrors() {
        StringBuilder text = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            for (long code = ERR_get_error(); code != 0; code = ERR_get_error()) {
                ERR_error_string_n(code, buffer, buffer.byteSize());
                text.append(text.isEmpty() ? "" : "; ").append(buffer.getString(0));
            }
        }
        return text.isEmpty() ? "no OpenSSL error queued" : text.toString();
    }
}

package io.ticketkeeper.jna;

import io.ticketkeeper.internal.NativeLibrary;

import com.sun.jna.Callback;
import com.sun.jna.Native;

/**
 * The shim's functions (include/ticketkeeper.h) by JNA direct mapping, registered against the shim the library
 * loaded. Pointers travel as 64-bit integers; buffers that may hold secrets (keys, session DER, PEM) are passed as
 * addresses of memory the caller owns and wipes, never as Java arrays, which JNA would copy into native memory it
 * frees without wiping.
 */
final class JnaShim {
    static {
        Native.register(JnaShim.class, com.sun.jna.NativeLibrary.getInstance(NativeLibrary.file().toString()));
    }

    private JnaShim() {
    }

    /** tk_client_new_fn. */
    interface ClientNewFn extends Callback {
        int invoke(long peer, long der, int length);
    }


    static native String tk_result_string(int result);

    static native int tk_handle_new(long upcalls, long cacheUpcalls, long[] outHandle);

    static native int tk_set_ticket_ids(long handle, int on);

    static native int tk_attach(long handle, long sslCtx, long contextId);

    static native int tk_detach(long handle, long sslCtx);

    static native int tk_context_state(long handle, long contextId);

    static native int tk_context_findings(long handle, long sslCtx, int[] outFindings);

    static native int tk_publish_keys(long handle, long keys, long count, long generation);

    static native int tk_get_stats(long handle, long outStats);

    static native void tk_close(long handle);

    static native int tk_set_session_id_context(long handle, long sslCtx, byte[] context, long length);

    static native int tk_nginx_session_id_context(long handle, long sslCtx, byte[] prefix, long length, byte[] out);

    static native int tk_cache_attach(long handle, long sslCtx, int mode);

    static native int tk_cache_get_stats(long handle, long outStats);

    static native int tk_cache_add_session(long handle, long sslCtx, long der, long length);

    static native int tk_early_data_attach(long handle, long sslCtx, int maxEarlyData);

    static native int tk_early_data_status(long ssl);

    static native int tk_client_cache_install(long sslCtx, ClientNewFn newSession);

    static native int tk_client_tag(long ssl, long peer);

    static native int tk_client_offer(long ssl, long der, long length);

    static native int tk_session_to_pem(long der, long length, long outPem, long capacity, long[] outLength);

    static native int tk_session_from_pem(long pem, long length, long outDer, long capacity, long[] outLength);
}

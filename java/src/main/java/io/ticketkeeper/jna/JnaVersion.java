package io.ticketkeeper.jna;

import io.ticketkeeper.internal.NativeLibrary;

import com.sun.jna.Native;

/**
 * tk_api_version alone, bound before the rest of the shim ({@link JnaShim}): a stale shim lacks other functions
 * too, and binding those first would fail without saying which version the library is.
 */
final class JnaVersion {
    static {
        Native.register(JnaVersion.class, com.sun.jna.NativeLibrary.getInstance(NativeLibrary.file().toString()));
    }

    private JnaVersion() {
    }

    static native int tk_api_version();
}

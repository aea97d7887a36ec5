package io.ticketkeeper.internal;

/**
 * The four ticket upcall stubs exactly as a backend installs them for a decider, as native function addresses, with
 * the user pointer the shim passes them, so that a benchmark can call them the way the shim does (the native-to-Java
 * transition plus the decision, without a handshake around it). The addresses stay valid until {@link #close()}.
 */
public interface UpcallStubs extends AutoCloseable {
    /** {@code tk_upcalls.user}: the first argument of every call (0 where the stubs are bound to their body). */
    long user();

    /** {@code tk_seal_fn} */
    long seal();

    /** {@code tk_open_fn} */
    long open();

    /** {@code tk_stamp_fn} */
    long stamp();

    /** {@code tk_session_fn} */
    long session();

    @Override
    void close();
}

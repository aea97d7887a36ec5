package io.ticketkeeper.bench.paired;

/**
 * One way of serving handshakes in a paired run (OpenSSL's built-in ticket keys, TicketKeeper, the JDK's own TLS):
 * a server made once, and a client per measuring thread. All contestants of a case live in one process at once.
 */
interface Contestant extends AutoCloseable {
    /** The name results carry, e.g. {@code openssl-builtin}. */
    String name();

    /** A client for one measuring thread, already past its first full handshake. */
    Handshaker newHandshaker();

    @Override
    void close();

    /** One thread's client: each call is one handshake of the case's kind, checked (it throws when it was not). */
    interface Handshaker extends AutoCloseable {
        void handshake();

        @Override
        void close();
    }
}

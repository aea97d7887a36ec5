package io.ticketkeeper.internal;

/** The shim's session helpers that need no handle: client tagging and offering, PEM. */
public interface SessionNatives {
    /** Receives a client connection's new session. */
    interface ClientSink {
        void newSession(long peer, byte[] session);
    }

    /** Routes new sessions of tagged connections on the client context {@code sslCtx} to {@link #clientSink}. */
    void installClientCache(long sslCtx);

    /** Tags the client connection {@code ssl} with {@code peer} (> 0). */
    void tag(long ssl, long peer);

    /** Sets {@code session} (DER) on the client connection {@code ssl}; throws IllegalArgumentException if bad. */
    void offer(long ssl, byte[] session);

    String toPem(byte[] session);

    /** The DER form of the first session in {@code pem}; throws IllegalArgumentException if there is none. */
    byte[] fromPem(String pem);

    /** Where every client context's new sessions go (one sink for the process; peers tell caches apart). */
    static ClientSink clientSink() {
        return ClientPeers::deliver;
    }
}

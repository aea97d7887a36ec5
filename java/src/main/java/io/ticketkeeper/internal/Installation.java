package io.ticketkeeper.internal;

import io.ticketkeeper.KeySnapshot;

/** The shim installed on one SSL_CTX, as a backend drives it. */
public interface Installation extends AutoCloseable {
    /** Publishes the keys of {@code snapshot} under its generation; returns once no handshake uses older keys. */
    void publish(KeySnapshot snapshot);

    ShimStats shimStats();

    /** Stops all upcalls; when it returns none runs and none will start. */
    @Override
    void close();
}

package io.ticketkeeper.internal;

import io.ticketkeeper.KeySnapshot;

/** The shim installed on one SSL_CTX, as a backend drives it. */
public interface Installation extends AutoCloseable {
    /** Publishes the keys of {@code snapshot} under its generation; returns once no handshake uses older keys. */
    void publish(KeySnapshot snapshot);

    ShimStats shimStats();

    /** Installs the session cache callbacks on {@code sslCtx}, routing them to {@code bridge}. */
    default void installSessionCache(long sslCtx, SessionCacheBridge bridge, boolean internalCache) {
        throw new UnsupportedOperationException("this backend has no session cache");
    }

    default CacheShimStats cacheShimStats() {
        return CacheShimStats.NONE;
    }

    /** Stops all upcalls; when it returns none runs and none will start. */
    @Override
    void close();
}

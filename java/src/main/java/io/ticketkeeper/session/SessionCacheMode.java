package io.ticketkeeper.session;

/** How OpenSSL's server session cache and the {@link SessionStore} work together. */
public enum SessionCacheMode {
    /**
     * OpenSSL's internal cache is off: every session goes to the store and every lookup asks it. The right mode
     * for a store shared by several servers, where a session may have been made elsewhere or removed elsewhere.
     */
    EXTERNAL,
    /**
     * OpenSSL's internal cache sits in front of the store: sessions go to both, and the store is asked only when
     * the internal cache misses. Cheaper per resumption; a removal on another node is not seen here.
     */
    INTERNAL_THEN_EXTERNAL
}

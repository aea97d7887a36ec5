/**
 * TicketKeeper: per-handshake control of TLS session resumption for Java applications that own OpenSSL contexts.
 * Only the API packages are exported; the internals (io.ticketkeeper.internal) and the backends (the Panama FFM
 * one in this jar's META-INF/versions/23) stay inside. Give the module native access:
 * {@code --enable-native-access=io.ticketkeeper}.
 */
// JNA, Lettuce and Micrometer publish no module descriptors, only Automatic-Module-Names.
@SuppressWarnings("requires-automatic")
module io.ticketkeeper {
    /* The JMX binding takes and returns its types: a reader of this module reads them too. */
    requires transitive java.management;
    requires com.github.benmanes.caffeine;
    /* The backend for Java 17 to 22. */
    requires com.sun.jna;
    /* Optional, as in the Maven dependencies: only the Redis session store and the fleet key source need Lettuce, only
     * the binder Micrometer.
     * Not transitive: a static transitive module would be mandatory for every consumer at compile time. */
    requires static lettuce.core;
    requires static micrometer.core;

    exports io.ticketkeeper;
    exports io.ticketkeeper.session;
    exports io.ticketkeeper.session.redis;
    exports io.ticketkeeper.fleet;
    exports io.ticketkeeper.micrometer;
    exports io.ticketkeeper.jmx;
}

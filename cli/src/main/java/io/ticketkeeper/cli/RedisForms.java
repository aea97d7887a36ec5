package io.ticketkeeper.cli;

/** The Redis URIs serve accepts, for its messages (the library's RedisEndpoint reads them). */
final class RedisForms {
    static final String FORMS = "redis://host:port or rediss://host:port (TLS), "
            + "redis-sentinel://host:port[,host:port…][/db]#masterName (rediss-sentinel:// for TLS), "
            + "redis-cluster://host:port[,host:port…] (rediss-cluster:// for TLS)";

    private RedisForms() {
    }
}

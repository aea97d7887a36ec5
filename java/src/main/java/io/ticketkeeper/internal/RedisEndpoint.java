package io.ticketkeeper.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Where and how TicketKeeper reaches a Redis: one server, a master found through Sentinel, or a Redis Cluster; a
 * password or a user and password in the URI, or given apart; for TLS a PEM file of the CA certificates to trust
 * (else the JDK's). The Redis session store and the fleet key source share it, so both speak AUTH (a password, or
 * an ACL user with its password) and TLS alike, and both reach every kind of Redis. Messages never show the
 * password. The accepted forms ({@link #FORMS}):
 * <ul>
 *   <li>{@code redis://[user:password@]host[:port][/db]}, {@code rediss://…} for TLS: one Redis;</li>
 *   <li>{@code redis-sentinel://[user:password@]host[:port][,host[:port]…][/db]#masterName},
 *       {@code rediss-sentinel://…} for TLS to the sentinels and the data nodes: the sentinels (port 26379 unless
 *       given), which name the master of {@code masterName}; the credentials are used for the sentinels and the
 *       data nodes alike;</li>
 *   <li>{@code redis-cluster://[user:password@]host[:port][,host[:port]…]}, {@code rediss-cluster://…} for TLS:
 *       seed nodes of a Redis Cluster (port 6379 unless given), which tell the rest of the cluster.</li>
 * </ul>
 */
public final class RedisEndpoint {
    /** The forms of URI {@link #parse} accepts, for messages. */
    public static final String FORMS = "redis://[user:password@]host:port[/db], rediss://… (TLS), "
            + "redis-sentinel://[user:password@]host:port[,host:port…][/db]#masterName, rediss-sentinel://… (TLS), "
            + "redis-cluster://[user:password@]host:port[,host:port…] or rediss-cluster://… (TLS)";
    /** How often a cluster client reads the cluster's topology when nothing (a MOVED, a reconnect) asks it to. */
    static final Duration CLUSTER_REFRESH = Duration.ofSeconds(30);

    /** What a URI reaches. */
    public enum Kind {
        /** One Redis server. */
        STANDALONE,
        /** The master Redis Sentinel names, followed through failovers. */
        SENTINEL,
        /** A Redis Cluster: keys on the node that serves their hash slot. */
        CLUSTER
    }

    private final String given;
    private final Kind kind;
    private final boolean ssl;
    /** One server (STANDALONE), the sentinels (SENTINEL) or the seeds (CLUSTER); credentials and db in each. */
    private final List<RedisURI> nodes;
    private final String masterName;
    private final int database;
    private final boolean passwordInUri;
    private String user;
    private char[] password;
    private Path trustedCertificates;

    private RedisEndpoint(String given, Kind kind, boolean ssl, List<RedisURI> nodes, String masterName,
            int database) {
        this.given = given;
        this.kind = kind;
        this.ssl = ssl;
        this.nodes = List.copyOf(nodes);
        this.masterName = masterName;
        this.database = database;
        this.passwordInUri = given.contains(":***@");
    }

    /**
     * Reads a Redis URI of any of the {@link #FORMS}.
     *
     * @throws IllegalArgumentException naming the URI (without its password), what is wrong with it and the forms
     *     accepted
     */
    public static RedisEndpoint parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        String shown = withoutPassword(uri);
        int colon = uri.indexOf("://");
        String scheme = colon < 0 ? "" : uri.substring(0, colon);
        try {
            switch (scheme) {
                case "redis", "rediss" -> {
                    RedisURI one = RedisURI.create(uri);
                    return new RedisEndpoint(shown, Kind.STANDALONE, one.isSsl(), List.of(one), null,
                            one.getDatabase());
                }
                case "redis-sentinel", "rediss-sentinel" -> {
                    return multi(shown, uri.substring(colon + 3), Kind.SENTINEL, scheme.startsWith("rediss"));
                }
                case "redis-cluster", "rediss-cluster" -> {
                    return multi(shown, uri.substring(colon + 3), Kind.CLUSTER, scheme.startsWith("rediss"));
                }
                default -> throw new IllegalArgumentException("unknown scheme '" + scheme + "'");
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + shown + "' is not a Redis URI (" + e.getMessage()
                    + "): expected " + FORMS, e);
        }
    }

    /** A sentinel or cluster URI after its scheme: {@code [userinfo@]host[:port][,…][/db][#masterName]}. */
    private static RedisEndpoint multi(String shown, String rest, Kind kind, boolean ssl) {
        String masterName = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            masterName = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            throw new IllegalArgumentException("no query parameters are read here: put the master name after '#'");
        }
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        rest = rest.substring(at + 1);
        int slash = rest.indexOf('/');
        int database = 0;
        if (slash >= 0) {
            String db = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (!db.isEmpty()) {
                try {
                    database = Integer.parseInt(db);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("the database '" + db + "' is not a number");
                }
                if (database < 0) {
                    throw new IllegalArgumentException("the database " + database + " is negative");
                }
            }
        }
        if (kind == Kind.CLUSTER && database != 0) {
            throw new IllegalArgumentException("a Redis Cluster has database 0 only, not " + database);
        }
        if (kind == Kind.CLUSTER && masterName != null) {
            throw new IllegalArgumentException("a Redis Cluster has no master name ('#" + masterName + "')");
        }
        if (kind == Kind.SENTINEL && (masterName == null || masterName.isBlank())) {
            throw new IllegalArgumentException("the master name is missing: end the URI with #masterName");
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        String user = null;
        String password = null;
        if (userInfo != null) {
            int c = userInfo.indexOf(':');
            user = c < 0 ? null : userInfo.substring(0, c);
            password = c < 0 ? userInfo : userInfo.substring(c + 1);
            user = user == null || user.isEmpty() ? null : decode(user);
            password = decode(password);
        }
        int defaultPort = kind == Kind.SENTINEL ? RedisURI.DEFAULT_SENTINEL_PORT : RedisURI.DEFAULT_REDIS_PORT;
        List<RedisURI> nodes = new ArrayList<>();
        for (String hostPort : rest.split(",", -1)) {
            nodes.add(node(hostPort, defaultPort, ssl, user, password, kind == Kind.SENTINEL ? 0 : database));
        }
        return new RedisEndpoint(shown, kind, ssl, nodes, masterName, database);
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static RedisURI node(String hostPort, int defaultPort, boolean ssl, String user, String password,
            int database) {
        String host = hostPort;
        int port = defaultPort;
        int colon = hostPort.lastIndexOf(':');
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + hostPort + "' opens an IPv6 address it does not close");
            }
            host = hostPort.substring(1, close);
            colon = hostPort.indexOf(':', close);
        } else if (colon >= 0) {
            host = hostPort.substring(0, colon);
        }
        if (colon >= 0) {
            String digits = hostPort.substring(colon + 1);
            try {
                port = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the port '" + digits + "' is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the port " + port + " is not 1 to 65535");
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("an empty host in the list");
        }
        RedisURI.Builder node = RedisURI.Builder.redis(host, port).withSsl(ssl).withDatabase(database);
        if (password != null && user != null) {
            node.withAuthentication(user, password.toCharArray());
        } else if (password != null) {
            node.withPassword(password.toCharArray());
        }
        return node.build();
    }

    /** The URI as given, its password replaced by "***". */
    private static String withoutPassword(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        String userInfo = uri.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? "" : userInfo.substring(0, colon);
        return uri.substring(0, scheme + 3) + user + ":***" + uri.substring(at);
    }

    /** What the URI reaches. */
    public Kind kind() {
        return kind;
    }

    /**
     * Authenticates as {@code user} (an ACL user; null for the default user, as with {@code requirepass}) with
     * {@code password}, which is copied; this replaces any credentials in the URI, for sentinels and data nodes.
     */
    public void credentials(String user, char[] password) {
        Objects.requireNonNull(password, "password");
        if (user != null && (user.isEmpty() || user.chars().anyMatch(c -> c <= ' ' || c >= 127))) {
            throw new IllegalArgumentException("a Redis user name is printable ASCII without spaces, not '" + user
                    + "'");
        }
        if (password.length == 0) {
            throw new IllegalArgumentException("the Redis password is empty");
        }
        this.user = user;
        this.password = password.clone();
    }

    /** Trusts the CA certificates in {@code pemFile} for TLS ({@code rediss…}), instead of the JDK's. */
    public void trustedCertificates(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        if (!Files.isReadable(pemFile)) {
            throw new IllegalArgumentException("the Redis CA file " + pemFile + " is unreadable"
                    + (Files.exists(pemFile) ? ": permission denied" : ": no such file"));
        }
        this.trustedCertificates = pemFile;
    }

    /**
     * A client for this endpoint, with its connections: commands fail after {@code timeout}; connections (with their
     * TLS handshake and AUTH) give up after {@code connectTimeout}; with {@code autoReconnect} Lettuce reconnects in
     * the background (a sentinel's master found anew, a cluster's topology read anew), and either way commands fail
     * at once while disconnected rather than queue; on a cluster a command to a node whose connection is being made
     * waits for it, within the timeout.
     *
     * @throws IllegalArgumentException when a CA file is given for a plain URI
     */
    // Lettuce 7 deprecates choosing the adaptive refresh triggers without naming a successor: we want them all.
    @SuppressWarnings("deprecation")
    public RedisLink link(Duration timeout, Duration connectTimeout, boolean autoReconnect) {
        if (trustedCertificates != null && !ssl) {
            String tls = switch (kind) {
                case SENTINEL -> "rediss-sentinel://";
                case CLUSTER -> "rediss-cluster://";
                default -> "rediss://";
            };
            throw new IllegalArgumentException("a CA file (" + trustedCertificates + ") is for TLS, but " + given
                    + " is plain: use " + tls);
        }
        // The URI's timeout bounds connecting (TLS, AUTH) and every wait; TimeoutOptions expire commands earlier.
        Duration uriTimeout = timeout.compareTo(connectTimeout) > 0 ? timeout : connectTimeout;
        SocketOptions socket = SocketOptions.builder().connectTimeout(connectTimeout).build();
        SslOptions sslOptions = trustedCertificates == null ? null : SslOptions.builder().jdkSslProvider()
                .trustManager(trustedCertificates.toFile()).handshakeTimeout(connectTimeout).build();
        AbstractRedisClient client;
        RedisURI uri;
        switch (kind) {
            case CLUSTER -> {
                List<RedisURI> seeds = new ArrayList<>();
                for (RedisURI seed : nodes) {
                    seeds.add(authenticated(RedisURI.builder(seed).withTimeout(uriTimeout)).build());
                }
                RedisClusterClient cluster = RedisClusterClient.create(seeds);
                // A cluster client connects to a node when a command first goes there (a new master after a
                // failover or a migration), and Lettuce 7.7 rejects a command waiting for that connection under
                // REJECT_COMMANDS: here such a command waits for it instead, still bounded by the timeout.
                ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                        .autoReconnect(autoReconnect)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(timeout))
                        .socketOptions(socket)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enablePeriodicRefresh(CLUSTER_REFRESH)
                                .enableAdaptiveRefreshTrigger(ClusterTopologyRefreshOptions.RefreshTrigger.values())
                                .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                                .dynamicRefreshSources(true)
                                .closeStaleConnections(true)
                                .build());
                if (sslOptions != null) {
                    options.sslOptions(sslOptions);
                }
                cluster.setOptions(options.build());
                client = cluster;
                uri = seeds.get(0);
            }
            case SENTINEL -> {
                RedisURI.Builder sentinel = authenticated(RedisURI.builder()
                        .withSentinelMasterId(masterName).withSsl(ssl).withDatabase(database)
                        .withTimeout(uriTimeout));
                for (RedisURI node : nodes) {
                    sentinel.withSentinel(authenticated(RedisURI.builder(node).withTimeout(uriTimeout)).build());
                }
                uri = sentinel.build();
                client = standalone(uri, autoReconnect, timeout, socket, sslOptions);
            }
            default -> {
                uri = authenticated(RedisURI.builder(nodes.get(0)).withTimeout(uriTimeout)).build();
                client = standalone(uri, autoReconnect, timeout, socket, sslOptions);
            }
        }
        return new RedisLink(kind, client, uri, this.toString(), autoReconnect);
    }

    private static RedisClient standalone(RedisURI uri, boolean autoReconnect, Duration timeout, SocketOptions socket,
            SslOptions sslOptions) {
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(autoReconnect)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(socket);
        if (sslOptions != null) {
            options.sslOptions(sslOptions);
        }
        RedisClient client = RedisClient.create();
        client.setOptions(options.build());
        return client;
    }

    /** The builder with the credentials given apart, if any (else those of the URI it was built from). */
    private RedisURI.Builder authenticated(RedisURI.Builder builder) {
        if (password != null && user != null) {
            builder.withAuthentication(user, password);
        } else if (password != null) {
            builder.withPassword(password);
        } else if (kind != Kind.STANDALONE && nodes.get(0).getCredentialsProvider() != null) {
            builder.withAuthentication(nodes.get(0));
        }
        return builder;
    }

    /** The error to throw when connecting failed: names the endpoint and the deepest cause (a refused password, a
     * certificate that does not verify, a refused connection). */
    public IllegalStateException connectFailed(RuntimeException e) {
        return new IllegalStateException("could not connect to Redis at " + this + ": " + rootCause(e), e);
    }

    /**
     * What went wrong rather than where: the TLS handshake's own message when TLS failed (a certificate that does
     * not verify), else the innermost message among {@code failure}'s causes, else the innermost cause's class name
     * (a closed channel).
     */
    public static String rootCause(Throwable failure) {
        String message = null;
        Throwable deepest = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SSLException && cause.getMessage() != null) {
                return "TLS handshake failed: " + cause.getMessage();
            }
            deepest = cause;
            message = cause.getMessage() != null ? cause.getMessage() : message;
        }
        return message != null ? message : deepest.getClass().getSimpleName();
    }

    /** The scheme, the hosts (and master name), with the user when there is one: never the password. */
    @Override
    public String toString() {
        String who = user != null ? " as " + user : passwordInUri || password != null ? " with a password" : "";
        StringBuilder text = new StringBuilder(switch (kind) {
            case SENTINEL -> ssl ? "rediss-sentinel://" : "redis-sentinel://";
            case CLUSTER -> ssl ? "rediss-cluster://" : "redis-cluster://";
            default -> ssl ? "rediss://" : "redis://";
        });
        for (int i = 0; i < nodes.size(); i++) {
            text.append(i == 0 ? "" : ",").append(nodes.get(i).getHost()).append(':').append(nodes.get(i).getPort());
        }
        if (masterName != null) {
            text.append('#').append(masterName);
        }
        return text.append(who).toString();
    }
}

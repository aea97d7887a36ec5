package io.ticketkeeper.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster on loopback for tests: {@code masters} masters with {@code replicas} replicas each (real
 * redis-server processes with {@code --cluster-enabled yes}, joined by {@code redis-cli --cluster create}), node
 * timeout 1 s. {@link #uri()} names the first three nodes as seeds. Failover, slot migration and killing a node are
 * what the tests do to it; {@link #close()} stops every node, whatever state it is in.
 */
public final class RedisCluster implements AutoCloseable {
    private final Path dir;
    private final List<RedisServer> nodes = new ArrayList<>();
    /** The PEM certificate (also the CA) and key of a TLS-only cluster, or null for plain TCP. */
    private final Path certificate;
    private final Path key;

    private RedisCluster(Path dir, Path certificate, Path key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /** Starts and joins the cluster in a new directory under {@code parent}; returns once every slot is served. */
    public static RedisCluster start(Path parent, int masters, int replicas) throws IOException, InterruptedException {
        return start(parent, masters, replicas, null, null);
    }

    /**
     * Starts a cluster that speaks TLS only: every node with {@code --port 0}, a TLS port, {@code --tls-cluster yes}
     * (the cluster bus) and {@code --tls-replication yes}, serving {@code certificate} (a self-signed one that is its
     * own CA, for localhost and 127.0.0.1) and {@code key}; no client certificates asked for. {@link #uri()} is then
     * {@code rediss-cluster://…}.
     */
    public static RedisCluster startTls(Path parent, int masters, int replicas, Path certificate, Path key)
            throws IOException, InterruptedException {
        return start(parent, masters, replicas, java.util.Objects.requireNonNull(certificate, "certificate"),
                java.util.Objects.requireNonNull(key, "key"));
    }

    private static RedisCluster start(Path parent, int masters, int replicas, Path certificate, Path key)
            throws IOException, InterruptedException {
        Files.createDirectories(parent);
        RedisCluster cluster = new RedisCluster(Files.createTempDirectory(parent, "cluster-"), certificate, key);
        try {
            cluster.launch(masters, replicas);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void launch(int masters, int replicas) throws IOException, InterruptedException {
        int count = masters * (1 + replicas);
        List<String> create = new ArrayList<>(List.of("/usr/bin/redis-cli", "--cluster", "create"));
        for (int i = 0; i < count; i++) {
            Path nodeDir = Files.createDirectories(dir.resolve("node-" + i));
            String[] flags = {"--dir", nodeDir.toString(), "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000"};
            RedisServer node = certificate == null ? RedisServer.start(flags)
                    : RedisServer.startTls(certificate, key, concat(flags, "--tls-cluster", "yes",
                            "--tls-replication", "yes"));
            nodes.add(node);
            create.add("127.0.0.1:" + node.port());
        }
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
        create.addAll(1, tlsFlags());
        String out = RedisCli.exec(create);
        if (!out.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + out);
        }
        awaitHealthy(30_000);
    }

    /** Waits until every live node says the cluster is ok and agrees on the masters. */
    public void awaitHealthy(long millis) throws IOException, InterruptedException {
        RedisCli.await(millis, "every node to report cluster_state:ok", () -> {
            for (RedisServer node : live()) {
                if (!"ok".equals(RedisCli.field(cli(node.port(), "CLUSTER", "INFO"), "cluster_state"))) {
                    return false;
                }
            }
            return true;
        });
    }

    private List<RedisServer> live() {
        return nodes.stream().filter(RedisServer::alive).toList();
    }

    /** redis-cli's flags for this cluster: {@code --tls --cacert <certificate>} on a TLS cluster, else none. */
    private List<String> tlsFlags() {
        return certificate == null ? List.of() : List.of("--tls", "--cacert", certificate.toString());
    }

    /** {@code redis-cli} against the node on {@code port}, over TLS on a TLS cluster. */
    private String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(tlsFlags());
        all.addAll(List.of(args));
        return RedisCli.run(port, all.toArray(new String[0]));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /**
     * {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}: three nodes as seeds
     * ({@code rediss-cluster://} on a TLS cluster).
     */
    public String uri() {
        StringBuilder uri = new StringBuilder(certificate == null ? "redis-cluster://" : "rediss-cluster://");
        for (int i = 0; i < Math.min(3, nodes.size()); i++) {
            uri.append(i == 0 ? "" : ",").append("127.0.0.1:").append(nodes.get(i).port());
        }
        return uri.toString();
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The slot of {@code key}, as the cluster computes it. */
    public int slot(String key) throws IOException, InterruptedException {
        return Integer.parseInt(cli(live().get(0).port(), "CLUSTER", "KEYSLOT", key));
    }

    /** The master serving {@code slot} now, by its own CLUSTER NODES line. */
    public RedisServer masterOf(int slot) throws IOException, InterruptedException {
        for (RedisServer node : live()) {
            String info = cli(node.port(), "INFO", "replication");
            if (!"master".equals(RedisCli.field(info, "role"))) {
                continue;
            }
            String nodeId = id(node);
            String slots = cli(node.port(), "CLUSTER", "NODES");
            for (String line : slots.split("\n")) {
                if (line.startsWith(nodeId) && serves(line, slot)) {
                    return node;
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    private static boolean serves(String nodesLine, int slot) {
        String[] fields = nodesLine.split(" ");
        for (int i = 8; i < fields.length; i++) {
            String range = fields[i];
            if (range.startsWith("[")) {
                continue;
            }
            String[] ends = range.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    /** A replica of {@code master}. */
    public RedisServer replicaOf(RedisServer master) throws IOException, InterruptedException {
        for (RedisServer node : live()) {
            String info = cli(node.port(), "INFO", "replication");
            if ("slave".equals(RedisCli.field(info, "role"))
                    && Integer.toString(master.port()).equals(RedisCli.field(info, "master_port"))) {
                return node;
            }
        }
        throw new IllegalStateException("no replica of the master on port " + master.port());
    }

    /** The node's cluster id. */
    public String id(RedisServer node) throws IOException, InterruptedException {
        return cli(node.port(), "CLUSTER", "MYID");
    }

    /** {@code CLUSTER FAILOVER} on {@code replica}: it takes over from its master, without losing writes. */
    public void failover(RedisServer replica) throws IOException, InterruptedException {
        String out = cli(replica.port(), "CLUSTER", "FAILOVER");
        if (!out.equals("OK")) {
            throw new IllegalStateException("CLUSTER FAILOVER on " + replica.port() + ": " + out);
        }
        RedisCli.await(20_000, "the replica on " + replica.port() + " to become master",
                () -> "master".equals(RedisCli.field(cli(replica.port(), "INFO", "replication"), "role")));
        awaitHealthy(20_000);
    }

    /**
     * Moves {@code slot} with its keys from the master serving it to {@code target} (another master), as
     * {@code redis-cli --cluster reshard} does: IMPORTING, MIGRATING, MIGRATE of every key, SETSLOT NODE on every
     * master.
     */
    public void migrate(int slot, RedisServer target) throws IOException, InterruptedException {
        RedisServer source = masterOf(slot);
        String s = Integer.toString(slot);
        String sourceId = id(source);
        String targetId = id(target);
        check(cli(target.port(), "CLUSTER", "SETSLOT", s, "IMPORTING", sourceId));
        check(cli(source.port(), "CLUSTER", "SETSLOT", s, "MIGRATING", targetId));
        while (true) {
            String keys = cli(source.port(), "CLUSTER", "GETKEYSINSLOT", s, "100");
            if (keys.isBlank()) {
                break;
            }
            List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(target.port()),
                    "", "0", "5000", "KEYS"));
            migrate.addAll(List.of(keys.split("\n")));
            String out = cli(source.port(), migrate.toArray(new String[0]));
            if (!out.equals("OK") && !out.equals("NOKEY")) {
                throw new IllegalStateException("MIGRATE: " + out);
            }
        }
        for (RedisServer node : live()) {
            if ("master".equals(RedisCli.field(cli(node.port(), "INFO", "replication"), "role"))) {
                cli(node.port(), "CLUSTER", "SETSLOT", s, "NODE", targetId);
            }
        }
        awaitHealthy(20_000);
    }

    private static void check(String answer) {
        if (!answer.equals("OK")) {
            throw new IllegalStateException("CLUSTER SETSLOT: " + answer);
        }
    }

    /** Stops every node and deletes the directory. */
    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
        Files2.deleteTree(dir);
    }
}

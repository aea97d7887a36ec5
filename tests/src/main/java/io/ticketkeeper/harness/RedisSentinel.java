package io.ticketkeeper.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Redis Sentinel on loopback for tests: a master, its replicas and the sentinels that watch them (real
 * redis-server processes, the sentinels as {@code redis-server sentinel.conf --sentinel}), with a quick failover
 * (down after 1 s). {@link #uri()} is the {@code redis-sentinel://} URI of the sentinels; {@link #killMaster()}
 * crashes the current master; {@link #close()} stops everything, whatever state it is in.
 */
public final class RedisSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "fleetmaster";
    private static final String EXECUTABLE = System.getProperty("ticketkeeper.redis-server", "/usr/bin/redis-server");

    private final Path dir;
    private final String password;
    private final List<RedisServer> servers = new ArrayList<>();
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();

    private RedisSentinel(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /**
     * Starts a master with {@code replicas} replicas and {@code sentinels} sentinels (quorum: a majority) in a new
     * directory under {@code parent}; returns once every sentinel knows every replica and every other sentinel.
     */
    public static RedisSentinel start(Path parent, int replicas, int sentinels)
            throws IOException, InterruptedException {
        return start(parent, replicas, sentinels, null);
    }

    /**
     * The same with {@code password} ({@code requirepass}) on every data node and every sentinel, the replicas
     * and sentinels authenticating to the data nodes with it.
     */
    public static RedisSentinel start(Path parent, int replicas, int sentinels, String password)
            throws IOException, InterruptedException {
        Files.createDirectories(parent);
        RedisSentinel set = new RedisSentinel(Files.createTempDirectory(parent, "sentinel-"), password);
        try {
            set.launch(replicas, sentinels);
            return set;
        } catch (IOException | InterruptedException | RuntimeException e) {
            set.close();
            throw e;
        }
    }

    private void launch(int replicas, int count) throws IOException, InterruptedException {
        List<String> auth = password == null ? List.of()
                : List.of("--requirepass", password, "--masterauth", password);
        List<String> flags = new ArrayList<>(List.of("--dir", dir.toString()));
        flags.addAll(auth);
        RedisServer master = RedisServer.start(flags.toArray(new String[0]));
        servers.add(master);
        for (int i = 0; i < replicas; i++) {
            List<String> replica = new ArrayList<>(flags);
            replica.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
            servers.add(RedisServer.start(replica.toArray(new String[0])));
        }
        RedisCli.await(20_000, "the replicas to sync", () -> {
            for (RedisServer replica : servers.subList(1, servers.size())) {
                if (!"up".equals(RedisCli.field(cli(replica.port(), "INFO", "replication"),
                        "master_link_status"))) {
                    return false;
                }
            }
            return true;
        });
        for (int i = 0; i < count; i++) {
            int port = freePort();
            Path conf = dir.resolve("sentinel-" + port + ".conf");
            Files.writeString(conf, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "daemonize no",
                    "dir " + dir,
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " " + (count / 2 + 1),
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1",
                    password == null ? "" : "requirepass " + password,
                    password == null ? "" : "sentinel auth-pass " + MASTER_NAME + " " + password, ""));
            Path log = dir.resolve("sentinel-" + port + ".log");
            sentinels.add(new ProcessBuilder(EXECUTABLE, conf.toString(), "--sentinel").redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start());
            sentinelPorts.add(port);
        }
        RedisCli.await(30_000, "the sentinels to see " + replicas + " replicas and each other", () -> {
            for (int port : sentinelPorts) {
                String state = cli(port, "SENTINEL", "MASTER", MASTER_NAME);
                if (!state.contains("num-slaves\n" + replicas) || !state.contains("num-other-sentinels\n"
                        + (count - 1))) {
                    return false;
                }
            }
            return true;
        });
    }

    /** redis-cli on {@code port}, with the password when there is one (sentinels and data nodes share it). */
    private String cli(int port, String... args) throws IOException, InterruptedException {
        if (password == null) {
            return RedisCli.run(port, args);
        }
        List<String> all = new ArrayList<>(List.of("--no-auth-warning", "-a", password));
        all.addAll(List.of(args));
        return RedisCli.run(port, all.toArray(new String[0]));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code redis-sentinel://127.0.0.1:p1,…#fleetmaster}, with {@code userInfo@} before the hosts if given. */
    public String uri(String userInfo) {
        StringBuilder uri = new StringBuilder("redis-sentinel://").append(userInfo == null ? "" : userInfo + "@");
        for (int i = 0; i < sentinelPorts.size(); i++) {
            uri.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinelPorts.get(i));
        }
        return uri.append('#').append(MASTER_NAME).toString();
    }

    public String uri() {
        return uri(null);
    }

    /** The port of the master the first answering sentinel names. */
    public int masterPort() throws IOException, InterruptedException {
        for (int port : sentinelPorts) {
            String[] answer = cli(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).split("\n");
            if (answer.length == 2) {
                return Integer.parseInt(answer[1].trim());
            }
        }
        throw new IllegalStateException("no sentinel names a master");
    }

    /** The server the sentinels name master now. */
    public RedisServer master() throws IOException, InterruptedException {
        int port = masterPort();
        return servers.stream().filter(server -> server.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("no server on the master's port " + port));
    }

    /** The servers, master first as started (failovers change which is master). */
    public List<RedisServer> servers() {
        return List.copyOf(servers);
    }

    /** Kills the current master (SIGKILL); returns its port. The sentinels then promote a replica. */
    public int killMaster() throws IOException, InterruptedException {
        RedisServer master = master();
        master.kill();
        return master.port();
    }

    /**
     * Asks a sentinel for a failover ({@code SENTINEL FAILOVER}): a replica is promoted and the master, still up,
     * becomes its replica. Returns the old master's port.
     */
    public int failover() throws IOException, InterruptedException {
        int old = masterPort();
        String answer = cli(sentinelPorts.get(0), "SENTINEL", "FAILOVER", MASTER_NAME);
        if (!answer.equals("OK")) {
            throw new IllegalStateException("SENTINEL FAILOVER: " + answer);
        }
        return old;
    }

    /** Waits until every sentinel names a master other than {@code oldPort} and it answers as master; its port. */
    public int awaitNewMaster(int oldPort, long millis) throws IOException, InterruptedException {
        RedisCli.await(millis, "a master other than " + oldPort, () -> {
            for (int port : sentinelPorts) {
                String[] answer = cli(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).split("\n");
                if (answer.length != 2 || Integer.parseInt(answer[1].trim()) == oldPort) {
                    return false;
                }
            }
            return "master".equals(RedisCli.field(cli(masterPort(), "INFO", "replication"), "role"));
        });
        return masterPort();
    }

    /** Stops the sentinels and every server, and deletes the directory. */
    @Override
    public void close() {
        for (Process sentinel : sentinels) {
            sentinel.destroyForcibly();
        }
        for (Process sentinel : sentinels) {
            try {
                sentinel.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        servers.forEach(RedisServer::close);
        Files2.deleteTree(dir);
    }
}

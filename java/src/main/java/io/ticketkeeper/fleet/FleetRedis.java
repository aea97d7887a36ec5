package io.ticketkeeper.fleet;

import io.lettuce.core.ExpireArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.ticketkeeper.internal.RedisEndpoint;
import io.ticketkeeper.internal.RedisLink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's Redis protocol on Lettuce, used only by the key source's own thread, never on a handshake: every
 * command waits at most the timeout and throws when it fails; the caller then {@link #disconnect()}s, and the next
 * exchange connects again. Under the prefix {@code P}:
 * <ul>
 *   <li>{@code P fleet}, a hash: {@code schedule} (the schedule in words, written by the first node) and
 *       {@code wrap:<id>} (the check value of wrapping key {@code <id>}); it expires with the newest key;</li>
 *   <li>{@code P key:<k>}, a string: the wrapped key of period {@code k}, written once ({@code SET NX}) and expiring
 *       ({@code PXAT}) when the key stops opening tickets;</li>
 *   <li>{@code P events}, a channel: {@code <k>} whenever a key of period {@code k} is written.</li>
 * </ul>
 * On a Redis Cluster the prefix carries a hash tag ({@code {ticketkeeper:fleet:}} unless it has one), so that one
 * fleet's keys share a slot and its live entries are read with one {@code MGET} on one node. On Sentinel and
 * Cluster a made key is announced only after {@code WAIT} for a replica (bounded), which narrows the window in
 * which a failover loses it.
 */
final class FleetRedis implements AutoCloseable {
    /** Creates the fleet hash if it is missing (a new fleet, or a Redis restarted empty), atomically; returns it. */
    private static final String BOOTSTRAP = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HSET', KEYS[1], unpack(ARGV, 2))
              redis.call('PEXPIREAT', KEYS[1], ARGV[1])
            end
            return redis.call('HGETALL', KEYS[1])""";

    /** What {@link #BOOTSTRAP} runs, named when an ACL refuses one of them inside the script. */
    private static final List<String> SCRIPT_COMMANDS = List.of("EXISTS", "HSET", "PEXPIREAT", "HGETALL");
    private static final byte[] SWITCH_MASTER = bytes("+switch-master");

    private final RedisLink link;
    private final String prefix;
    private final int replicaAcks;
    private final long replicaWaitMillis;
    private final byte[] fleetName;
    private final byte[] channel;
    private final Runnable onMessage;
    private RedisLink.Connection connection;
    private RedisClusterCommands<byte[], byte[]> commands;
    /** What the last {@code WAIT} answered: logged when it changes between none and some. */
    private long lastAcks = -1;
    private StatefulRedisPubSubConnection<byte[], byte[]> subscription;
    /** Sentinel only: the subscription to a sentinel's {@code +switch-master}, kept across exchanges. */
    private StatefulRedisPubSubConnection<byte[], byte[]> sentinelEvents;
    /** Set on a Lettuce thread when a sentinel announced a new master: the next connect drops the old one's. */
    private volatile boolean masterSwitched;
    private final Runnable onSwitch;
    /** Whether a failure to subscribe to the sentinels was logged (once, until it works again). */
    private boolean loggedNoSentinelEvents;

    /**
     * {@code onMessage} runs on a Lettuce thread whenever another node announces a key: it must only wake. A made key
     * is announced after {@code replicaAcks} replicas have it, or {@code replicaWait} passed (0: at once).
     * {@code onSwitch} runs on a Lettuce thread when the sentinels announce a new master for the fleet's master
     * name: it must only wake, and the next {@link #connect()} moves to the new master.
     */
    FleetRedis(RedisEndpoint endpoint, String prefix, Duration timeout, Duration connectTimeout, int replicaAcks,
            Duration replicaWait, Runnable onMessage, Runnable onSwitch) {
        this.link = endpoint.link(timeout, connectTimeout, false);
        this.prefix = endpoint.kind() == RedisEndpoint.Kind.CLUSTER ? hashTagged(prefix) : prefix;
        this.replicaAcks = replicaAcks;
        this.replicaWaitMillis = replicaWait.toMillis();
        this.fleetName = bytes(this.prefix + "fleet");
        this.channel = bytes(this.prefix + "events");
        this.onMessage = onMessage;
        this.onSwitch = onSwitch;
    }

    /**
     * {@code prefix} as it is, when it holds a hash tag (a non-empty {@code {…}}: Redis Cluster hashes only that
     * part of a key), else wrapped in one: every key of the fleet then lives in one slot.
     */
    static String hashTagged(String prefix) {
        int open = prefix.indexOf('{');
        int close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
        return close > open + 1 ? prefix : "{" + prefix + "}";
    }

    /** The prefix of every key, with its hash tag on a cluster. */
    String prefix() {
        return prefix;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Connects what is not connected: commands, on Sentinel the subscription to the sentinels' {@code
     * +switch-master} (once the master was reached: a Redis that cannot be reached is one failure, not two), and
     * the subscription to the fleet's channel. After a switch was announced, the connections to the old master are dropped and made anew: a master
     * demoted on request stays up, and keeps answering as master, until the sentinels reconfigure it (seconds), and
     * what is written there meanwhile is lost in its resync.
     */
    void connect() {
        if (masterSwitched) {
            masterSwitched = false;
            disconnect();
        }
        if (connection == null || !connection.isOpen()) {
            if (connection != null) {
                connection.closeAsync();
            }
            connection = null;
            connection = link.connect();
            commands = connection.sync();
        }
        if (link.kind() == RedisEndpoint.Kind.SENTINEL) {
            followSwitches();
        }
        if (subscription == null || !subscription.isOpen()) {
            closeQuietly(subscription);
            subscription = null;
            StatefulRedisPubSubConnection<byte[], byte[]> next = link.connectPubSub();
            next.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] from, byte[] message) {
                    onMessage.run();
                }
            });
            subscription = next;
            next.sync().subscribe(channel);
        }
    }

    /** Subscribes to a sentinel's {@code +switch-master} unless subscribed; a failure is logged once, not thrown. */
    private void followSwitches() {
        if (sentinelEvents != null && sentinelEvents.isOpen()) {
            return;
        }
        closeQuietly(sentinelEvents);
        sentinelEvents = null;
        String masterName = link.masterName();
        try {
            StatefulRedisPubSubConnection<byte[], byte[]> next = link.connectSentinelPubSub();
            next.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] from, byte[] message) {
                    // "<master name> <old ip> <old port> <new ip> <new port>"
                    String[] words = new String(message, StandardCharsets.UTF_8).split(" ");
                    if (words.length == 5 && words[0].equals(masterName)) {
                        masterSwitched = true;
                        onSwitch.run();
                    }
                }
            });
            next.sync().subscribe(SWITCH_MASTER);
            sentinelEvents = next;
            if (loggedNoSentinelEvents) {
                loggedNoSentinelEvents = false;
                System.getLogger("io.ticketkeeper").log(System.Logger.Level.INFO,
                        "TicketKeeper's fleet follows the sentinels' +switch-master again");
            }
        } catch (RuntimeException e) {
            if (!loggedNoSentinelEvents) {
                loggedNoSentinelEvents = true;
                System.getLogger("io.ticketkeeper").log(System.Logger.Level.WARNING, "TicketKeeper's fleet could "
                        + "not subscribe to +switch-master on the sentinels of " + link + " (" + e + "): after a "
                        + "requested failover it follows the new master only when the old one is demoted");
            }
        }
    }

    /** Drops the connections after a failure (a stalled Redis keeps them open): the next exchange connects anew. */
    void disconnect() {
        if (connection != null) {
            try {
                connection.closeAsync();
            } catch (RuntimeException ignored) {
                // it is being dropped
            }
        }
        closeQuietly(subscription);
        connection = null;
        subscription = null;
    }

    /** Closes a connection that is still open; Lettuce closes a connection whose server went away by itself. */
    private static void closeQuietly(StatefulRedisPubSubConnection<?, ?> connection) {
        if (connection == null || !connection.isOpen()) {
            return;
        }
        try {
            connection.closeAsync();
        } catch (RuntimeException ignored) {
            // it is being dropped
        }
    }

    /** The name of the fleet hash. */
    byte[] fleetName() {
        return fleetName.clone();
    }

    /** The Redis key of period {@code index}'s entry. */
    byte[] keyName(long index) {
        return bytes(name(index));
    }

    /** The same, as text for people. */
    String name(long index) {
        return prefix + "key:" + index;
    }

    /** The fleet hash: field to value; empty when it is missing. */
    Map<String, byte[]> fleet() {
        return fields(commands.hgetall(fleetName));
    }

    /** Creates the fleet hash with {@code fields}, expiring at {@code expireAtMillis}, unless it exists; returns it. */
    Map<String, byte[]> bootstrap(Map<String, byte[]> fields, long expireAtMillis) {
        List<byte[]> arguments = new ArrayList<>();
        arguments.add(bytes(Long.toString(expireAtMillis)));
        fields.forEach((field, value) -> {
            arguments.add(bytes(field));
            arguments.add(value);
        });
        List<Object> flat;
        try {
            flat = commands.eval(BOOTSTRAP, ScriptOutputType.MULTI, new byte[][] {fleetName},
                    arguments.toArray(new byte[0][]));
        } catch (RedisCommandExecutionException e) {
            // Redis's refusal of a command inside a script does not say which one: name those the script runs
            // (without the cause, which would be the message shown as the root cause).
            if (e.getMessage() != null && e.getMessage().contains("can't run this command")) {
                throw new RedisCommandExecutionException(e.getMessage() + " (the fleet's bootstrap script runs "
                        + String.join(", ", SCRIPT_COMMANDS) + " on " + prefix + "fleet: the ACL user needs each)");
            }
            throw e;
        }
        Map<byte[], byte[]> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((byte[]) flat.get(i), (byte[]) flat.get(i + 1));
        }
        return fields(map);
    }

    private static Map<String, byte[]> fields(Map<byte[], byte[]> raw) {
        Map<String, byte[]> fields = new HashMap<>();
        raw.forEach((field, value) -> fields.put(new String(field, StandardCharsets.UTF_8), value));
        return fields;
    }

    /** Adds a field to the fleet hash unless it is there; whether it was added. */
    boolean addToFleet(String field, byte[] value) {
        return Boolean.TRUE.equals(commands.hsetnx(fleetName, bytes(field), value));
    }

    /** The entries of periods {@code first} to {@code last}, null where there is none. */
    List<byte[]> entries(long first, long last) {
        byte[][] names = new byte[(int) (last - first + 1)][];
        for (long index = first; index <= last; index++) {
            names[(int) (index - first)] = keyName(index);
        }
        List<byte[]> entries = new ArrayList<>(names.length);
        for (KeyValue<byte[], byte[]> value : commands.mget(names)) {
            entries.add(value.getValueOrElse(null));
        }
        return entries;
    }

    /** The entry of period {@code index}, or null. */
    byte[] entry(long index) {
        return commands.get(keyName(index));
    }

    /**
     * Writes the entry of period {@code index} unless one exists (the atomic step that makes one key per period
     * whoever gets there first), expiring at {@code openUntil}; keeps the fleet hash at least as long and announces
     * the key. Whether it was written.
     */
    boolean put(long index, byte[] entry, long openUntil) {
        Long acks = connection.setAndWait(keyName(index), entry, SetArgs.Builder.nx().pxAt(openUntil), replicaAcks,
                replicaWaitMillis);
        if (acks == null) {
            return false;
        }
        noteAcks(acks, index);
        commands.pexpireat(fleetName, openUntil, ExpireArgs.Builder.gt());
        commands.publish(channel, bytes(Long.toString(index)));
        return true;
    }

    /** Logs when writes stop or start reaching a replica within the wait: a failover could lose what none holds. */
    private void noteAcks(long acks, long index) {
        if (replicaAcks == 0 || (acks == 0) == (lastAcks == 0)) {
            lastAcks = acks;
            return;
        }
        lastAcks = acks;
        System.getLogger("io.ticketkeeper").log(acks == 0 ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                acks == 0 ? "TicketKeeper wrote " + name(index) + " on a Redis master whose replicas did not "
                        + "acknowledge it within " + replicaWaitMillis + " ms: a failover now could lose it (the "
                        + "fleet then converges on the key Redis holds)"
                        : "TicketKeeper's fleet writes reach " + acks + " Redis replica(s) again");
    }

    /** Closes the connections (the client's shutdown does) and the client. */
    @Override
    public void close() {
        connection = null;
        subscription = null;
        sentinelEvents = null;
        link.close();
    }
}

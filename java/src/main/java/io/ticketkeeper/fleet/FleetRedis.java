package io.ticketkeeper.fleet;

import io.lettuce.core.ExpireArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.ticketkeeper.internal.RedisEndpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 */
final class FleetRedis implements AutoCloseable {
    /** Creates the fleet hash if it is missing (a new fleet, or a Redis restarted empty), atomically; returns it. */
    private static final String BOOTSTRAP = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HSET', KEYS[1], unpack(ARGV, 2))
              redis.call('PEXPIREAT', KEYS[1], ARGV[1])
            end
            return redis.call('HGETALL', KEYS[1])""";

    private final RedisClient client;
    private final String prefix;
    private final byte[] fleetName;
    private final byte[] channel;
    private final Runnable onMessage;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private RedisCommands<byte[], byte[]> commands;
    private StatefulRedisPubSubConnection<byte[], byte[]> subscription;

    /** {@code onMessage} runs on a Lettuce thread whenever another node announces a key: it must only wake. */
    FleetRedis(RedisEndpoint endpoint, String prefix, Duration timeout, Duration connectTimeout, Runnable onMessage) {
        this.client = endpoint.newClient(timeout, connectTimeout, false);
        this.prefix = prefix;
        this.fleetName = bytes(prefix + "fleet");
        this.channel = bytes(prefix + "events");
        this.onMessage = onMessage;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Connects what is not connected: commands, and the subscription to the fleet's channel. */
    void connect() {
        if (connection == null || !connection.isOpen()) {
            closeQuietly(connection);
            connection = null;
            connection = client.connect(ByteArrayCodec.INSTANCE);
            commands = connection.sync();
        }
        if (subscription == null || !subscription.isOpen()) {
            closeQuietly(subscription);
            subscription = null;
            StatefulRedisPubSubConnection<byte[], byte[]> next = client.connectPubSub(ByteArrayCodec.INSTANCE);
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

    /** Drops the connections after a failure (a stalled Redis keeps them open): the next exchange connects anew. */
    void disconnect() {
        closeQuietly(connection);
        closeQuietly(subscription);
        connection = null;
        subscription = null;
    }

    /** Closes a connection that is still open; Lettuce closes a connection whose server went away by itself. */
    private static void closeQuietly(StatefulConnection<?, ?> connection) {
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
        List<Object> flat = commands.eval(BOOTSTRAP, ScriptOutputType.MULTI, new byte[][] {fleetName},
                arguments.toArray(new byte[0][]));
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
        if (commands.set(keyName(index), entry, SetArgs.Builder.nx().pxAt(openUntil)) == null) {
            return false;
        }
        commands.pexpireat(fleetName, openUntil, ExpireArgs.Builder.gt());
        commands.publish(channel, bytes(Long.toString(index)));
        return true;
    }

    /** Closes the connections (the client's shutdown does) and the client. */
    @Override
    public void close() {
        connection = null;
        subscription = null;
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}

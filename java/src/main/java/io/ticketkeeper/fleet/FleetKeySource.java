package io.ticketkeeper.fleet;

import io.ticketkeeper.KeyEvent;
import io.ticketkeeper.KeySource;
import io.ticketkeeper.KeySourceHealth;
import io.ticketkeeper.ScheduledKey;
import io.ticketkeeper.internal.Durations;
import io.ticketkeeper.internal.RedisEndpoint;
import io.ticketkeeper.session.redis.SealingKey;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Ticket keys shared by a fleet of servers through one Redis, so that a ticket sealed by any server resumes on every
 * other. Lettuce is an optional dependency of the library: add {@code io.lettuce:lettuce-core} to use this class.
 *
 * <ul>
 *   <li><b>One schedule, from time alone.</b> Time is cut into periods of {@link Builder#rotateEvery}; every
 *       server seals with the key of the current period and opens tickets under every live key. The key of a period
 *       is made two periods ahead by whichever server gets there first: an atomic {@code SET NX} decides, so there
 *       is no leader and never two keys for one period. Every server holds a key at least one full period before
 *       any server seals with it (staging), and keeps it until it stops opening tickets: {@code maxTicketAge +
 *       outageSealing} after its period.</li>
 *   <li><b>Wrapped at rest.</b> Each key is stored wrapped with AES-256-GCM under the first of the fleet's wrapping
 *       keys ({@link SealingKey}s read from a file; any of them unwraps, so the wrapping key can rotate), bound to
 *       its Redis key name, and expires ({@code PXAT}) when it stops opening tickets: a dump of Redis holds only
 *       live keys, and without a wrapping key reveals none.</li>
 *   <li><b>Off the handshake path.</b> Redis is read and written only by this source's own thread: on a pub/sub
 *       message from another server, and every {@link Builder#pollEvery} as a fallback, each command bounded by
 *       {@link Builder#timeout}. {@link #refresh} hands the handle what that thread last learned and does no I/O.</li>
 *   <li><b>Redis down or stalled.</b> The keys in force stay; staged keys start sealing on schedule; when no next
 *       key is known, the newest keeps sealing until its open-until time minus the maximum ticket age (every ticket
 *       it seals can be opened fleet-wide for its whole life), then the server issues no tickets (counted in
 *       {@code TicketStats.unsealed}, logged once). A key made after Redis comes back starts sealing one poll
 *       interval later, once every server has had the time to learn it.</li>
 *   <li><b>Redis restarted empty.</b> Every server writes back the live keys it holds ({@code SET NX}: never over
 *       what another server wrote).</li>
 *   <li><b>Refusals.</b> An entry that does not unwrap (wrong wrapping key, tampered, truncated, unknown format,
 *       another schedule) is refused, counted, logged once with its Redis key name and the reason, and never reaches
 *       the ring. A server writes only when its wrapping key's check value in Redis opens with its key: a server
 *       started with the wrong wrapping key, or another schedule, reads but never writes, so it cannot poison the
 *       fleet's keys.</li>
 * </ul>
 * Close the source after the handles that use it; closing cleanses every key it holds.
 */
public final class FleetKeySource implements KeySource, AutoCloseable {
    private static final Logger LOG = System.getLogger("io.ticketkeeper");
    private static final int MAX_EARLY_EVENTS = 2 * 1000 + 10;
    /** More live keys than this means a period far too short for the ticket age: refused at build. */
    private static final long MAX_LIVE_KEYS = 1000;

    private final FleetSchedule schedule;
    private final KeyWrap wrap;
    private final FleetRedis redis;
    private final String where;
    private final Clock clock;
    private final Duration pollEvery;
    private final Duration checkInterval;
    private final long jitterMillis;
    /** Set when another node announced a key: the next sync waits a random part of the jitter first. */
    private volatile boolean announced;
    private final Object syncLock = new Object();
    private final Semaphore wake = new Semaphore(0);
    private final List<Consumer<KeyEvent>> sinks = new CopyOnWriteArrayList<>();
    /** The events before the first sink came (the build's first sync): told to each sink as it comes. */
    private final List<KeyEvent> early = new ArrayList<>();
    private final LongAdder failures = new LongAdder();
    private Thread thread;

    private final FleetExchange exchange;
    private volatile KeySourceHealth health;
    private volatile boolean closed;

    /** Kept by refreshes: the period whose outage sealing was logged, and whether "no key seals" was. */
    private final AtomicLong loggedOutageSealing = new AtomicLong(Long.MIN_VALUE);
    private final AtomicBoolean loggedUnsealed = new AtomicBoolean();

    private FleetKeySource(Builder builder) {
        this.schedule = new FleetSchedule(builder.rotateEvery.toMillis(), builder.maxTicketAge.toMillis(),
                builder.outageSealing().toMillis());
        this.wrap = new KeyWrap(builder.wrappingKeys);
        this.where = builder.endpoint.toString();
        this.clock = builder.clock;
        this.pollEvery = builder.pollEvery();
        this.checkInterval = clamp(builder.rotateEvery.dividedBy(10), Duration.ofMillis(10), Duration.ofSeconds(5));
        this.jitterMillis = builder.announceJitter().toMillis();
        this.redis = new FleetRedis(builder.endpoint, builder.keyPrefix, builder.timeout, builder.connectTimeout,
                builder.replicaAcks(), builder.replicaWait(), this::announced, wake::release);
        this.exchange = new FleetExchange(schedule, wrap, redis, where, pollEvery.toMillis(), this::report);
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }

    /**
     * A source on the Redis at {@code uri}, wrapping keys under the first of {@code wrappingKeys} and unwrapping
     * under any of them. Every server of the fleet needs the same wrapping keys. The URI is one of
     * <ul>
     *   <li>{@code redis://host:port[/db]}, {@code rediss://} for TLS: one Redis;</li>
     *   <li>{@code redis-sentinel://host:port[,host:port…][/db]#masterName} ({@code rediss-sentinel://} for TLS):
     *       the master the sentinels name, followed through failovers;</li>
     *   <li>{@code redis-cluster://host:port[,host:port…]} ({@code rediss-cluster://} for TLS): a Redis Cluster
     *       from seed nodes; the fleet's keys share one hash slot (the prefix is a hash tag).</li>
     * </ul>
     * Credentials go in the URI ({@code user:password@} before the hosts) or through {@link Builder#credentials};
     * with Sentinel they are used for the sentinels and the data nodes alike.
     */
    public static Builder builder(String uri, List<SealingKey> wrappingKeys) {
        return new Builder(uri, wrappingKeys);
    }

    private void start() {
        thread = new Thread(this::run, "ticketkeeper-fleet-" + where);
        thread.setDaemon(true);
        thread.start();
    }

    /** On a Lettuce thread: another node announced a key. Only wakes the source's thread. */
    private void announced() {
        announced = true;
        wake.release();
    }

    private void run() {
        while (!closed) {
            try {
                wake.tryAcquire(pollEvery.toMillis(), TimeUnit.MILLISECONDS);
                if (announced && jitterMillis > 0) {
                    // Every node hears an announcement at once: spread their reads (the key is staged a period
                    // ahead, so nothing waits on it).
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(jitterMillis + 1));
                }
                announced = false;
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            try {
                sync();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "TicketKeeper's fleet key sync failed; it tries again in " + pollEvery, e);
            }
        }
    }

    @Override
    public Duration checkInterval() {
        return checkInterval;
    }

    /** How often this source reads Redis when no pub/sub message comes. */
    public Duration pollEvery() {
        return pollEvery;
    }

    /** Also tells {@code events} what this source saw before the first handle came: the keys it fetched at build. */
    @Override
    public void reportTo(Consumer<KeyEvent> events) {
        Objects.requireNonNull(events, "events");
        synchronized (sinks) {
            sinks.add(events);
            early.forEach(events);
        }
    }

    @Override
    public KeySourceHealth health() {
        return health;
    }

    /** The keys this node holds, on the sealing rule, at {@code nowMillis}; no I/O. */
    @Override
    public List<ScheduledKey> refresh(long nowMillis, List<ScheduledKey> current) {
        if (closed) {
            return current;
        }
        FleetKeys held = exchange.keys();
        noteSealing(held, nowMillis);
        return held.scheduled(nowMillis, schedule.maxAgeMillis());
    }

    /** Logs, once each time, that the newest key seals past its period, and that no key seals any more. */
    private void noteSealing(FleetKeys held, long nowMillis) {
        boolean sealing = held.sealsAt(nowMillis, schedule.maxAgeMillis());
        FleetKey newest = held.newest();
        if (sealing && newest != null && nowMillis >= newest.sealUntil()
                && loggedOutageSealing.getAndSet(newest.index()) != newest.index()) {
            LOG.log(Level.WARNING, "TicketKeeper knows no fleet key after " + newest.displayName() + " (Redis at "
                    + where + ": " + health.state() + "): it keeps sealing until "
                    + Instant.ofEpochMilli(schedule.lastSealing(newest.openUntil())) + ", then no tickets");
        }
        if (!sealing && loggedUnsealed.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "TicketKeeper has no fleet key that may seal (Redis at " + where + ": "
                    + health.state() + ", " + held.size() + " keys held): no tickets are issued until the fleet's "
                    + "keys are back");
        } else if (sealing && loggedUnsealed.compareAndSet(true, false)) {
            LOG.log(Level.INFO, "TicketKeeper has a fleet key that seals again");
        }
    }

    /**
     * Reads Redis and writes to it at once, as this source's thread does on every pub/sub message and poll: learns
     * new keys, makes the keys of the current and next periods that nobody has made, writes back the live keys
     * Redis lost. Never throws for Redis: a failure is the health it returns (and a {@code SOURCE_DOWN} event).
     */
    public KeySourceHealth sync() {
        synchronized (syncLock) {
            if (closed) {
                return health;
            }
            try {
                exchange.run(clock);
                up(clock.millis());
            } catch (RuntimeException e) {
                redis.disconnect();
                if (closed) {
                    return health; // interrupted by close(): Redis is not the one that failed
                }
                down(clock.millis(), e);
            }
            exchange.prune(clock.millis());
            return health;
        }
    }

    private void up(long now) {
        KeySourceHealth before = health;
        boolean wasUp = before != null && before.state() == KeySourceHealth.State.UP;
        health = new KeySourceHealth(KeySourceHealth.State.UP, wasUp ? before.since() : Instant.ofEpochMilli(now),
                failures.sum(), exchange.role());
        if (before != null && !wasUp) {
            LOG.log(Level.INFO, "TicketKeeper's fleet Redis at " + where + " answers again (down since "
                    + before.since() + ")");
            report(KeyEvent.Type.SOURCE_UP, "", "Redis at " + where + " answers again (down since " + before.since()
                    + ")");
        }
    }

    private void down(long now, RuntimeException failure) {
        failures.increment();
        String reason = RedisEndpoint.rootCause(failure);
        KeySourceHealth before = health;
        boolean wasDown = before != null && before.state() == KeySourceHealth.State.DOWN;
        health = new KeySourceHealth(KeySourceHealth.State.DOWN, wasDown ? before.since() : Instant.ofEpochMilli(now),
                failures.sum(), where + ": " + reason);
        if (before != null && !wasDown) {
            LOG.log(Level.WARNING, "TicketKeeper's fleet Redis at " + where + " does not answer (" + reason + "); the "
                    + "keys in force stay in force and staged keys seal on schedule");
            report(KeyEvent.Type.SOURCE_DOWN, "", "Redis at " + where + ": " + reason);
        }
    }

    private void report(KeyEvent.Type type, String key, String detail) {
        KeyEvent event = new KeyEvent(type, Instant.ofEpochMilli(clock.millis()), key, detail);
        synchronized (sinks) {
            if (sinks.isEmpty() && early.size() < MAX_EARLY_EVENTS) {
                early.add(event);
            }
        }
        for (Consumer<KeyEvent> sink : sinks) {
            try {
                sink.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a KeyEvent sink threw; ignored", e);
            }
        }
    }

    /** Stops the thread, closes the connections and cleanses every key held. Close the handles that use it first. */
    @Override
    public void close() {
        closed = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
            try {
                running.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (syncLock) {
            redis.close();
            exchange.destroyAll();
        }
    }

    @Override
    public String toString() {
        return "FleetKeySource{" + where + ", " + schedule + ", " + wrap + "}";
    }

    /** Configures a {@link FleetKeySource}; values are checked as they are set. */
    public static final class Builder {
        private final RedisEndpoint endpoint;
        private final List<SealingKey> wrappingKeys;
        private Duration rotateEvery = Duration.ofHours(1);
        private Duration maxTicketAge = Duration.ofHours(12);
        private Duration outageSealing;
        private Duration pollEvery;
        private Duration timeout = Duration.ofSeconds(1);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private String keyPrefix = "ticketkeeper:fleet:";
        private Clock clock = Clock.systemUTC();
        private Integer replicaAcks;
        private Duration replicaWait;
        private Duration announceJitter;

        private Builder(String uri, List<SealingKey> wrappingKeys) {
            this.endpoint = RedisEndpoint.parse(uri);
            this.wrappingKeys = List.copyOf(Objects.requireNonNull(wrappingKeys, "wrappingKeys"));
            if (this.wrappingKeys.isEmpty()) {
                throw new IllegalArgumentException("a fleet key source needs at least one wrapping key");
            }
            new KeyWrap(this.wrappingKeys);
        }

        /** How long each key seals: the fleet's period. Every server of the fleet sets the same. Default 1 hour. */
        public Builder rotateEvery(Duration rotateEvery) {
            this.rotateEvery = Durations.positive("rotateEvery", rotateEvery);
            return this;
        }

        /**
         * The maximum ticket age of the policy (the same value): a key opens tickets this long after it stops
         * sealing, plus {@link #outageSealing}. Default 12 hours, the default policy's.
         */
        public Builder maxTicketAge(Duration maxTicketAge) {
            this.maxTicketAge = Durations.positive("maxTicketAge", maxTicketAge);
            return this;
        }

        /**
         * How long the newest key may keep sealing past its period when no next key is known (Redis unreachable
         * for that long); every key opens tickets this much longer, so forward secrecy is bounded by
         * {@code rotateEvery + maxTicketAge + outageSealing} per ticket. Default one period.
         */
        public Builder outageSealing(Duration outageSealing) {
            this.outageSealing = Durations.notNegative("outageSealing", outageSealing);
            return this;
        }

        private Duration outageSealing() {
            return outageSealing != null ? outageSealing : rotateEvery;
        }

        /**
         * How often Redis is read when no pub/sub message arrives; a key made after an outage starts sealing this
         * long after it is made, so that every server has read it. Default a quarter period, at most 30 s.
         */
        public Builder pollEvery(Duration pollEvery) {
            this.pollEvery = Durations.positive("pollEvery", pollEvery);
            return this;
        }

        private Duration pollEvery() {
            if (pollEvery != null) {
                return pollEvery;
            }
            Duration quarter = rotateEvery.dividedBy(4);
            return clamp(quarter, Duration.ofMillis(10), Duration.ofSeconds(30));
        }

        /**
         * When another server announces a key, this server reads Redis after a random delay up to {@code jitter}, so
         * that a fleet's servers do not all read at the same instant (the key is staged a period ahead, and the poll
         * reads it anyway). Default half the poll interval, at most 5 s; zero reads at once. Shorter than the poll.
         */
        public Builder announceJitter(Duration jitter) {
            this.announceJitter = Durations.notNegative("announceJitter", jitter);
            return this;
        }

        private Duration announceJitter() {
            if (announceJitter != null) {
                return announceJitter;
            }
            Duration half = pollEvery().dividedBy(2);
            return half.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : half;
        }

        /** The longest any Redis command may take before the source counts Redis as down. Default 1 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.positive("timeout", timeout);
            return this;
        }

        /** The longest a (re)connection may take. Default 2 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Durations.positive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * Authenticates as the ACL user {@code user} (null: the default user, as with {@code requirepass}) with
         * {@code password} (copied), instead of any credentials in the URI.
         */
        public Builder credentials(String user, char[] password) {
            endpoint.credentials(user, password);
            return this;
        }

        /** For {@code rediss://}: trust the CA certificates in this PEM file instead of the JDK's. */
        public Builder trustedCertificates(Path caPemFile) {
            endpoint.trustedCertificates(caPemFile);
            return this;
        }

        /** The prefix of every Redis key, so that fleets can share a Redis. Default {@code ticketkeeper:fleet:}. */
        public Builder keyPrefix(String keyPrefix) {
            if (Objects.requireNonNull(keyPrefix, "keyPrefix").isEmpty()) {
                throw new IllegalArgumentException("keyPrefix must not be empty");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Before it announces a key it made, the source waits ({@code WAIT}) until {@code replicas} replicas of the
         * master hold it, or {@code wait} passed: Redis replicates asynchronously, and a failover loses what no
         * replica holds (the fleet then converges on the key Redis holds; the lost one only opens tickets). Default
         * 1 replica within half the {@link #timeout} on Sentinel and Cluster, none on one Redis; 0 turns it off.
         */
        public Builder replicaAcks(int replicas, Duration wait) {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicaAcks must not be negative, not " + replicas);
            }
            this.replicaAcks = replicas;
            this.replicaWait = Durations.notNegative("replica wait", wait);
            return this;
        }

        private int replicaAcks() {
            return replicaAcks != null ? replicaAcks : endpoint.kind() == RedisEndpoint.Kind.STANDALONE ? 0 : 1;
        }

        private Duration replicaWait() {
            return replicaWait != null ? replicaWait : timeout.dividedBy(2);
        }

        /** The clock of the schedule: the handle's clock. Default the system clock (UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Connects, reads the fleet's keys and makes the missing ones, then keeps them up to date on its own daemon
         * thread.
         *
         * @throws IllegalArgumentException when the settings contradict each other (the poll is not shorter than a
         *     period, the keys would be too many, a CA file with a plain URI)
         * @throws IllegalStateException naming Redis and the reason when it cannot be reached (a refused password
         *     or certificate included)
         */
        public FleetKeySource build() {
            if (pollEvery().compareTo(rotateEvery) >= 0) {
                throw new IllegalArgumentException("pollEvery (" + pollEvery() + ") must be shorter than rotateEvery ("
                        + rotateEvery + "): every server must read a new key within a period");
            }
            FleetSchedule schedule = new FleetSchedule(rotateEvery.toMillis(), maxTicketAge.toMillis(),
                    outageSealing().toMillis());
            if (announceJitter().compareTo(pollEvery()) >= 0) {
                throw new IllegalArgumentException("announceJitter (" + announceJitter() + ") must be shorter than "
                        + "pollEvery (" + pollEvery() + ")");
            }
            if (replicaAcks() > 0 && replicaWait().compareTo(timeout) >= 0) {
                throw new IllegalArgumentException("the replica wait (" + replicaWait() + ") must be shorter than the "
                        + "timeout (" + timeout + "): WAIT is a command like the others");
            }
            if (schedule.liveKeys() > MAX_LIVE_KEYS) {
                throw new IllegalArgumentException("rotateEvery " + rotateEvery + " with maxTicketAge " + maxTicketAge
                        + " keeps " + schedule.liveKeys() + " keys live (at most " + MAX_LIVE_KEYS + "): rotate less "
                        + "often");
            }
            FleetKeySource source = new FleetKeySource(this);
            try {
                KeySourceHealth first = source.sync();
                if (first.state() != KeySourceHealth.State.UP) {
                    throw new IllegalStateException("could not reach the fleet's Redis at " + first.detail());
                }
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
            source.start();
            return source;
        }
    }
}

package io.ticketkeeper;

import io.ticketkeeper.internal.HostScopes;
import io.ticketkeeper.session.SessionCacheOptions;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** How a handle decides: its policy, its clock and the keys it starts with. */
public final class TicketKeeperOptions {
    private final TicketPolicy policy;
    private final Clock clock;
    private final List<TicketKey> keys;
    private final KeySource keySource;
    private final Consumer<KeyEvent> keyEventListener;
    private final SessionIdContext sessionIdContext;
    private final SessionCacheOptions sessionCache;
    private final List<Set<String>> sharedTicketHosts;
    private final boolean acceptUnboundTickets;
    private final boolean followServerName;
    private final EarlyDataOptions earlyData;
    private final ReplayRecord singleUseRecord;
    private final Duration singleUseTicketLifetime;

    private TicketKeeperOptions(Builder builder) {
        this.earlyData = builder.earlyData;
        this.singleUseRecord = builder.singleUseRecord;
        this.singleUseTicketLifetime = builder.singleUseTicketLifetime;
        this.followServerName = builder.followServerName;
        this.sharedTicketHosts = List.copyOf(builder.sharedTicketHosts);
        this.acceptUnboundTickets = builder.acceptUnboundTickets;
        this.sessionCache = builder.sessionCache;
        this.policy = builder.policy;
        this.clock = builder.clock;
        this.keys = builder.keys;
        this.keySource = builder.keySource;
        this.keyEventListener = builder.keyEventListener;
        this.sessionIdContext = builder.sessionIdContext;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: {@link TicketPolicy#defaults()}, the system clock and one freshly generated key. */
    public static TicketKeeperOptions defaults() {
        return builder().build();
    }

    public TicketPolicy policy() {
        return policy;
    }

    public Clock clock() {
        return clock;
    }

    /** The keys published at install; empty for one freshly generated key, or when a key source gives them. */
    public Optional<List<TicketKey>> keys() {
        return Optional.ofNullable(keys);
    }

    /** Where keys come from over time (rotation, files); empty for the fixed {@link #keys()}. */
    public Optional<KeySource> keySource() {
        return Optional.ofNullable(keySource);
    }

    /** Told of every {@link KeyEvent}, on the thread that refreshed the keys. */
    public Optional<Consumer<KeyEvent>> keyEventListener() {
        return Optional.ofNullable(keyEventListener);
    }

    /** The session id context set at install; empty leaves the context's own. */
    public Optional<SessionIdContext> sessionIdContext() {
        return Optional.ofNullable(sessionIdContext);
    }

    /** The server session cache to install; empty leaves OpenSSL's session cache as it is. */
    public Optional<SessionCacheOptions> sessionCache() {
        return Optional.ofNullable(sessionCache);
    }

    /**
     * The groups of virtual hosts whose tickets resume on each other's contexts; every other host's tickets resume
     * only on its own.
     */
    public List<Set<String>> sharedTicketHosts() {
        return sharedTicketHosts;
    }

    /**
     * Whether contexts attached with a host name resume tickets bound to no host (see
     * {@link Builder#acceptUnboundTickets(boolean)}); false by default.
     */
    public boolean acceptUnboundTickets() {
        return acceptUnboundTickets;
    }

    /**
     * Whether a presented ticket is bound-checked against the context the client's server name (SNI) names (see
     * {@link Builder#followServerName(boolean)}); false by default.
     */
    public boolean followServerName() {
        return followServerName;
    }

    /** TLS 1.3 early data; empty (the default) leaves it off. */
    public Optional<EarlyDataOptions> earlyData() {
        return Optional.ofNullable(earlyData);
    }

    /** The record that makes TLS 1.3 tickets single-use; empty (the default) leaves it off. */
    public Optional<ReplayRecord> singleUseRecord() {
        return Optional.ofNullable(singleUseRecord);
    }

    /** How long the single-use record keeps a ticket (with {@link #singleUseRecord()}); null when off. */
    public Duration singleUseTicketLifetime() {
        return singleUseTicketLifetime;
    }

    @Override
    public String toString() {
        return "TicketKeeperOptions{policy=" + policy + ", clock=" + clock + ", keys=" + keys
                + (keySource == null ? "" : ", keySource=" + keySource)
                + (sessionIdContext == null ? "" : ", sessionIdContext=" + sessionIdContext)
                + (sessionCache == null ? "" : ", sessionCache=" + sessionCache)
                + (sharedTicketHosts.isEmpty() ? "" : ", sharedTicketHosts=" + sharedTicketHosts)
                + (acceptUnboundTickets ? ", acceptUnboundTickets" : "")
                + (followServerName ? ", followServerName" : "")
                + (earlyData == null ? "" : ", earlyData=" + earlyData)
                + (singleUseRecord == null ? "" : ", singleUseTickets=" + singleUseRecord + " for "
                        + singleUseTicketLifetime) + "}";
    }

    /** Configures {@link TicketKeeperOptions}; each value is checked as it is set. */
    public static final class Builder {
        private TicketPolicy policy = TicketPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private List<TicketKey> keys;
        private KeySource keySource;
        private Consumer<KeyEvent> keyEventListener;
        private SessionIdContext sessionIdContext;
        private SessionCacheOptions sessionCache;
        private final List<Set<String>> sharedTicketHosts = new ArrayList<>();
        private boolean acceptUnboundTickets;
        private boolean followServerName;
        private EarlyDataOptions earlyData;
        private ReplayRecord singleUseRecord;
        private Duration singleUseTicketLifetime;

        private Builder() {
        }

        public Builder policy(TicketPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The clock every ticket age and stamp is measured by. Default: the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The keys to publish at install: the first seals, all open (nginx's rule).
         *
         * @throws IllegalStateException when a {@link #keySource} is already set
         */
        public Builder keys(List<TicketKey> keys) {
            if (keySource != null) {
                throw new IllegalStateException("a keySource (" + keySource + ") is already set; give keys or a "
                        + "keySource, not both");
            }
            this.keys = KeyLists.checked(keys);
            return this;
        }

        public Builder keys(TicketKey... keys) {
            return keys(List.of(keys));
        }

        /**
         * Keys from {@code source}, refreshed by the handle's own scheduler thread. For example
         * {@code KeyRotation.defaults()} or {@code KeyFiles.of(KeyFileFormat.NGINX, path)}.
         *
         * @throws IllegalStateException when {@link #keys} are already set
         */
        public Builder keySource(KeySource source) {
            Objects.requireNonNull(source, "keySource");
            if (keys != null) {
                throw new IllegalStateException(keys.size() + " keys are already set; give keys or a keySource ("
                        + source + "), not both");
            }
            this.keySource = source;
            return this;
        }

        /**
         * Receives every {@link KeyEvent} (staged, promoted, retired, expired, load failed; from a fleet source also
         * fetched, refused, source down and up). Events the key source reports come on its own thread, so the
         * listener may be called from two threads at once.
         */
        public Builder keyEventListener(Consumer<KeyEvent> listener) {
            this.keyEventListener = Objects.requireNonNull(listener, "keyEventListener");
            return this;
        }

        /** Sets the context's session id context at install, e.g. {@link SessionIdContext#nginx()}. */
        public Builder sessionIdContext(SessionIdContext context) {
            this.sessionIdContext = Objects.requireNonNull(context, "sessionIdContext");
            return this;
        }

        /**
         * Puts the context's stateful sessions (TLS 1.2 session ids, TLS 1.3 stateful tickets) into
         * {@code sessionCache}'s store. Default: none, OpenSSL's session cache is left as configured.
         */
        public Builder sessionCache(SessionCacheOptions sessionCache) {
            this.sessionCache = Objects.requireNonNull(sessionCache, "sessionCache");
            return this;
        }

        /**
         * Lets tickets resume across the named virtual hosts, on purpose: a ticket sealed for one of
         * {@code hosts} resumes on the contexts of all of them (by default a ticket resumes only on the host it was
         * sealed for). Call once per group; a host belongs to one group at most. Names compare without case and
         * without a trailing dot.
         *
         * @throws IllegalArgumentException when fewer than two distinct names are given, a name is empty or holds
         *     white space, or a name is in an earlier group already
         */
        public Builder shareTickets(String... hosts) {
            Set<String> group = HostScopes.group(List.of(hosts));
            for (Set<String> earlier : sharedTicketHosts) {
                for (String host : group) {
                    if (earlier.contains(host)) {
                        throw new IllegalArgumentException("the host '" + host + "' shares tickets with " + earlier
                                + " already; a host belongs to one group only");
                    }
                }
            }
            sharedTicketHosts.add(group);
            return this;
        }

        /**
         * Whether a context attached with a host name ({@link TicketKeeperHandle#attach(long, String)}) resumes
         * tickets bound to no host: tickets without TicketKeeper's host stamp, as nginx seals them from a shared key
         * file (or another server sharing the keys), and TicketKeeper's own version-1 stamps. Off by default: such a
         * ticket could have been sealed for any host, so a named host gives it a full handshake, counted as
         * {@link TicketStats#rejectedUnbound()}. Turn it on to resume nginx's tickets on named hosts. Contexts
         * attached without a host name (the one-context {@link TicketKeeper#install(long, TicketKeeperOptions)})
         * accept unbound tickets either way: they serve no other host to confuse them with.
         */
        public Builder acceptUnboundTickets(boolean accept) {
            this.acceptUnboundTickets = accept;
            return this;
        }

        /**
         * Whether a presented ticket is decided for the virtual host the client names in its server_name (SNI)
         * when an attached context of the handle serves that name, rather than for the context the connection is
         * on. Turn it on when the server switches contexts in a servername callback ({@code SSL_set_SSL_CTX}, as
         * nginx-style servers do for SNI): OpenSSL opens a presented ticket before that callback runs, on the
         * context the connection started on, so without this every host but the default one refuses its own
         * tickets ({@link TicketStats#rejectedOtherHost()}) and loses resumption. With it on, {@code b.test}'s
         * ticket presented with the server name {@code b.test} resumes, counted on {@code b.test}'s context; with
         * the name of another host, or of a host no attached context serves, it is refused as before.
         *
         * <p>Off by default, and leave it off when each host has a listener of its own that does not switch on
         * SNI: a connection to {@code a.test}'s listener that names {@code b.test} would then resume
         * {@code b.test}'s ticket on {@code a.test}'s context, which is the virtual-host confusion host binding
         * prevents. TicketKeeper cannot see whether a servername callback is installed.
         */
        public Builder followServerName(boolean follow) {
            this.followServerName = follow;
            return this;
        }

        /**
         * Turns TLS 1.3 early data (0-RTT) on for every attached context: tickets advertise
         * {@link EarlyDataOptions#maxBytes()}, and a resumption's early data is accepted only when the anti-replay
         * record has not seen its ClientHello and the policy agrees ({@link TicketPolicy#decideEarlyData}). Off by
         * default. Early data can be replayed (RFC 8446 section 8): the application must read it as such, and can
         * tell a connection's early data from {@link TicketKeeperHandle#earlyDataStatus(long)}.
         */
        public Builder earlyData(EarlyDataOptions earlyData) {
            this.earlyData = Objects.requireNonNull(earlyData, "earlyData");
            return this;
        }

        /**
         * Makes every TLS 1.3 ticket single-use (RFC 8446 section 8.1), not only for early data: each presented
         * ticket's identity (as {@link EarlyDataOptions.Builder#oncePerTicket} keys it) is recorded in
         * {@code record} for {@code ticketLifetime} at the session decision, and a ticket presented again gets a
         * full handshake with a fresh ticket, counted ({@link TicketStats#rejectedReusedTicket()}). A record that
         * cannot vouch for a ticket (Redis unreachable or slow beyond its bound, a record starting, a full one)
         * gives a full handshake too ({@link TicketStats#rejectedUncheckedTicket()}): never a resumption unchecked.
         * {@code ticketLifetime} must cover the tickets' lifetime (the policy's, at most the session timeout): a
         * record that forgets a ticket before it expires lets it resume again. The record may be the one early data
         * uses ({@link ReplayRecord#inMemory} for one server, a Redis record for a fleet); the entries do not mix.
         * TLS 1.2 tickets are not affected. Off by default.
         *
         * @throws IllegalArgumentException when {@code ticketLifetime} is not positive
         */
        public Builder singleUseTickets(ReplayRecord record, Duration ticketLifetime) {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(ticketLifetime, "ticketLifetime");
            if (ticketLifetime.isNegative() || ticketLifetime.isZero()) {
                throw new IllegalArgumentException("ticketLifetime must be positive, was " + ticketLifetime);
            }
            this.singleUseRecord = record;
            this.singleUseTicketLifetime = ticketLifetime;
            return this;
        }

        public TicketKeeperOptions build() {
            return new TicketKeeperOptions(this);
        }
    }
}

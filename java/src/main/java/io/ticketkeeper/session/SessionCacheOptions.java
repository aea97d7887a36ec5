package io.ticketkeeper.session;

import java.util.Objects;

/**
 * The server session cache a handle installs: the store, the cache mode, and whether sessions are single-use.
 *
 * <pre>{@code
 * TicketKeeperOptions.builder()
 *         .sessionCache(SessionCacheOptions.of(SessionStore.inMemory(50_000)))
 *         .build();
 * }</pre>
 */
public final class SessionCacheOptions {
    private final SessionStore store;
    private final SessionCacheMode mode;
    private final boolean singleUse;

    private SessionCacheOptions(Builder builder) {
        this.store = builder.store;
        this.mode = builder.mode;
        this.singleUse = builder.singleUse;
    }

    /** {@code store} in mode {@link SessionCacheMode#EXTERNAL}, sessions reusable. */
    public static SessionCacheOptions of(SessionStore store) {
        return builder(store).build();
    }

    public static Builder builder(SessionStore store) {
        return new Builder(store);
    }

    public SessionStore store() {
        return store;
    }

    public SessionCacheMode mode() {
        return mode;
    }

    public boolean singleUse() {
        return singleUse;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionCacheOptions that
                && store.equals(that.store)
                && mode.equals(that.mode)
                && singleUse == that.singleUse;
    }

    @Override
    public int hashCode() {
        return Objects.hash(store, mode, singleUse);
    }

    @Override
    public String toString() {
        return "SessionCacheOptions{store=" + store + ", mode=" + mode + ", singleUse=" + singleUse + "}";
    }

    /** Configures {@link SessionCacheOptions}; each value is checked as it is set. */
    public static final class Builder {
        private final SessionStore store;
        private SessionCacheMode mode = SessionCacheMode.EXTERNAL;
        private boolean singleUse;

        private Builder(SessionStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Default {@link SessionCacheMode#EXTERNAL}. */
        public Builder mode(SessionCacheMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            if (singleUse && mode != SessionCacheMode.EXTERNAL) {
                throw new IllegalArgumentException("single-use sessions need mode EXTERNAL, not " + mode
                        + ": the internal cache would resume a session the store has given out");
            }
            return this;
        }

        /**
         * Each session resumes at most once: a lookup takes the entry out of the store atomically (Redis GETDEL),
         * so that two nodes cannot both accept a replayed TLS 1.3 stateful ticket. Needs a store whose
         * {@link SessionStore#atomicTake()} is true and mode {@link SessionCacheMode#EXTERNAL}.
         */
        public Builder singleUse(boolean singleUse) {
            if (singleUse && !store.atomicTake()) {
                throw new IllegalArgumentException("single-use sessions need a store with an atomic take; " + store
                        + " has none");
            }
            if (singleUse && mode != SessionCacheMode.EXTERNAL) {
                throw new IllegalArgumentException("single-use sessions need mode EXTERNAL, not " + mode);
            }
            this.singleUse = singleUse;
            return this;
        }

        public SessionCacheOptions build() {
            return new SessionCacheOptions(this);
        }
    }
}

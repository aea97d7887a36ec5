package io.ticketkeeper;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A handle's scheduled keys between publications: it asks the key source, drops expired keys, orders the rest
 * newest first, records what changed as {@link KeyEvent}s, and destroys keys once they are no longer published.
 * Not thread-safe: the handle calls it under its lock.
 */
final class KeyRing {
    private static final Logger LOG = System.getLogger("io.ticketkeeper");
    /** Newest first; among equal not-before times the order given (so a file's sealing key stays first). */
    private static final Comparator<ScheduledKey> NEWEST_FIRST =
            Comparator.comparingLong(ScheduledKey::notBeforeMillis).reversed();

    private final KeySource source;
    private final Consumer<KeyEvent> listener;
    private List<ScheduledKey> keys = List.of();
    /** Keys this ring may destroy when they leave: those it scheduled, not those of a plain key list. */
    private final Map<TicketKey, Boolean> owned = new IdentityHashMap<>();
    private final Map<TicketKey, KeyState> lastStates = new IdentityHashMap<>();
    private TicketKey lastSealing;
    /** The message of the failure that persists, reported once until it changes or a refresh succeeds. */
    private String lastFailure;

    private final LongAdder staged = new LongAdder();
    private final LongAdder promoted = new LongAdder();
    private final LongAdder retired = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder refreshes = new LongAdder();
    private final LongAdder fetched = new LongAdder();
    private final LongAdder refused = new LongAdder();

    KeyRing(KeySource source, Consumer<KeyEvent> listener) {
        this.source = source;
        this.listener = listener;
        if (source != null) {
            source.reportTo(this::reported);
        }
    }

    /** An event the source saw by itself, on its own thread: counted and passed on, never thrown back. */
    private void reported(KeyEvent event) {
        switch (event.type()) {
            case FETCHED:
                fetched.increment();
                break;
            case REFUSED:
                refused.increment();
                break;
            default:
                break;
        }
        tell(event);
    }

    /**
     * The keys to publish at {@code nowMillis}: the source's answer (or {@code proposed} when given), without
     * expired keys, newest first; null when nothing changed.
     *
     * @throws TicketKeeperException when the source fails (after recording a LOAD_FAILED event) or the keys are
     *     unusable (destroyed, two with one name)
     */
    List<ScheduledKey> next(long nowMillis, List<ScheduledKey> proposed) {
        List<ScheduledKey> wanted;
        if (proposed != null) {
            wanted = proposed;
        } else if (source != null) {
            try {
                wanted = source.refresh(nowMillis, keys);
                lastFailure = null;
            } catch (RuntimeException e) {
                loadFailed(nowMillis, e);
                throw e;
            }
        } else {
            wanted = keys;
        }
        List<ScheduledKey> next = new ArrayList<>();
        for (ScheduledKey key : wanted) {
            if (key.stateAt(nowMillis) != KeyState.EXPIRED) {
                next.add(key);
            }
        }
        next.sort(NEWEST_FIRST);
        KeyLists.checkScheduled(next);
        return unchanged(next) ? null : List.copyOf(next);
    }

    /** The same key objects on the same schedules: equal material in a new object is a new key to the ring, which
     * owns and destroys key objects, not contents. */
    private boolean unchanged(List<ScheduledKey> next) {
        if (next.size() != keys.size()) {
            return false;
        }
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).key() != keys.get(i).key() || !next.get(i).equals(keys.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code next} is published: record events and destroy what left. {@code ownsNew}: keys new to the ring are
     * the ring's to destroy. */
    void published(long nowMillis, List<ScheduledKey> next, boolean ownsNew) {
        Map<TicketKey, Boolean> present = new IdentityHashMap<>();
        for (ScheduledKey key : next) {
            present.put(key.key(), Boolean.TRUE);
            if (ownsNew && !lastStates.containsKey(key.key())) {
                owned.put(key.key(), Boolean.TRUE);
            }
        }
        for (ScheduledKey old : keys) {
            if (!present.containsKey(old.key())) {
                lastStates.remove(old.key());
                event(KeyEvent.Type.EXPIRED, nowMillis, old.key(), "no longer opens tickets; cleansed", expired);
                if (owned.remove(old.key()) != null) {
                    old.key().destroy();
                }
            }
        }
        keys = next;
        refreshes.increment();
        observe(nowMillis);
    }

    /** Records the state changes of the keys in force since the last observation. */
    void observe(long nowMillis) {
        TicketKey sealing = null;
        for (ScheduledKey key : keys) {
            KeyState state = key.stateAt(nowMillis);
            if (sealing == null && state == KeyState.SEALING) {
                sealing = key.key();
            }
            KeyState before = lastStates.put(key.key(), state);
            if (before == state) {
                continue;
            }
            if (state == KeyState.STAGED) {
                event(KeyEvent.Type.STAGED, nowMillis, key.key(), "seals from " + key.notBefore(), staged);
            } else if (state == KeyState.OPEN_ONLY && before != null) {
                event(KeyEvent.Type.RETIRED, nowMillis, key.key(), "opens tickets until " + show(key), retired);
            }
        }
        if (sealing != null && sealing != lastSealing) {
            event(KeyEvent.Type.PROMOTED, nowMillis, sealing, "seals new tickets", promoted);
        }
        lastSealing = sealing;
    }

    private static String show(ScheduledKey key) {
        return key.openUntilMillis() == Long.MAX_VALUE ? "removed" : key.openUntil().toString();
    }

    /** Counts every failed refresh; logs and reports one that persists (a bad file checked every 10 s) once. */
    private void loadFailed(long nowMillis, RuntimeException e) {
        loadFailures.increment();
        if (String.valueOf(e.getMessage()).equals(lastFailure)) {
            return;
        }
        lastFailure = String.valueOf(e.getMessage());
        LOG.log(Level.WARNING, "TicketKeeper could not refresh its keys from " + source + "; "
                + (keys.isEmpty() ? "no keys are published" : "the keys in force stay in force") + ": "
                + e.getMessage());
        event(KeyEvent.Type.LOAD_FAILED, nowMillis, null, e.getMessage(), null);
    }

    private void event(KeyEvent.Type type, long nowMillis, TicketKey key, String detail, LongAdder counter) {
        if (counter != null) {
            counter.increment();
        }
        tell(new KeyEvent(type, Instant.ofEpochMilli(nowMillis), key == null ? "" : key.displayName(), detail));
    }

    private void tell(KeyEvent event) {
        if (listener == null) {
            return;
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a KeyEvent listener threw; ignored", e);
        }
    }

    KeyRingStats stats(KeySnapshot published) {
        return new KeyRingStats(published.generation(), published.size(), staged.sum(), promoted.sum(),
                retired.sum(), expired.sum(), loadFailures.sum(), refreshes.sum(), fetched.sum(), refused.sum(),
                source == null ? KeySourceHealth.local() : source.health());
    }
}

package io.ticketkeeper.fleet;

import io.ticketkeeper.ScheduledKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet keys a node holds at one moment, immutable: one per period, plus keys superseded by another key for
 * their period (they only open tickets). The sync thread makes a new one for every change; refreshes read the
 * latest.
 *
 * <p>The sealing rule: a key seals from its not-before time until the next key it knows starts sealing, but no
 * longer than its open-until time minus the maximum ticket age. In steady state the next key starts exactly when a
 * key's period ends, so that is its period; when the next key is unknown (Redis unreachable) or starts late (made
 * after Redis came back), the key keeps sealing meanwhile, as long as every ticket it seals can still be opened
 * for its whole life; after that no key seals and the node issues no tickets.
 */
final class FleetKeys {
    static final FleetKeys NONE = new FleetKeys(new TreeMap<>(), List.of());

    private final TreeMap<Long, FleetKey> byIndex;
    private final List<FleetKey> superseded;

    private FleetKeys(TreeMap<Long, FleetKey> byIndex, List<FleetKey> superseded) {
        this.byIndex = byIndex;
        this.superseded = superseded;
    }

    FleetKey get(long index) {
        return byIndex.get(index);
    }

    /** Every key held, superseded ones included. */
    List<FleetKey> all() {
        List<FleetKey> all = new ArrayList<>(byIndex.values());
        all.addAll(superseded);
        return all;
    }

    int size() {
        return byIndex.size() + superseded.size();
    }

    /**
     * These keys with {@code key} for its period. Another key held for that period becomes superseded: it keeps
     * opening the tickets it sealed, but seals no more. The same key in another entry simply takes its place.
     */
    FleetKeys with(FleetKey key) {
        TreeMap<Long, FleetKey> next = new TreeMap<>(byIndex);
        FleetKey before = next.put(key.index(), key);
        if (before != null && before.sameName(key)) {
            before.destroyUnlessRingOwned();
        }
        if (before == null || before.sameName(key)) {
            return new FleetKeys(next, superseded);
        }
        List<FleetKey> replaced = new ArrayList<>(superseded);
        replaced.add(before);
        return new FleetKeys(next, List.copyOf(replaced));
    }

    /** These keys without those that stop opening tickets by {@code nowMillis}: destroyed unless a ring owns them. */
    FleetKeys pruned(long nowMillis) {
        TreeMap<Long, FleetKey> next = new TreeMap<>();
        List<FleetKey> kept = new ArrayList<>();
        for (FleetKey key : byIndex.values()) {
            if (live(key, nowMillis)) {
                next.put(key.index(), key);
            }
        }
        for (FleetKey key : superseded) {
            if (live(key, nowMillis)) {
                kept.add(key);
            }
        }
        return next.size() == byIndex.size() && kept.size() == superseded.size() ? this
                : new FleetKeys(next, List.copyOf(kept));
    }

    private static boolean live(FleetKey key, long nowMillis) {
        if (key.openUntil() > nowMillis) {
            return true;
        }
        key.destroyUnlessRingOwned();
        return false;
    }

    /** When the key of period {@code index} seals until, by the sealing rule; -1 when this node lacks it. */
    long sealsUntil(long index, long maxAgeMillis) {
        FleetKey key = byIndex.get(index);
        if (key == null) {
            return -1;
        }
        Map.Entry<Long, FleetKey> next = byIndex.higherEntry(index);
        long successor = next == null ? Long.MAX_VALUE : next.getValue().notBefore();
        return Math.min(key.openUntil() - maxAgeMillis, Math.max(key.sealUntil(), successor));
    }

    /** The newest key held (by period), or null. */
    FleetKey newest() {
        Map.Entry<Long, FleetKey> last = byIndex.lastEntry();
        return last == null ? null : last.getValue();
    }

    /** Whether a key seals at {@code nowMillis} by the sealing rule. */
    boolean sealsAt(long nowMillis, long maxAgeMillis) {
        for (FleetKey key : byIndex.values()) {
            if (key.notBefore() <= nowMillis && nowMillis < sealsUntil(key.index(), maxAgeMillis)) {
                return true;
            }
        }
        return false;
    }

    /** The keys for a ring at {@code nowMillis}: those still opening tickets, on the sealing rule. */
    List<ScheduledKey> scheduled(long nowMillis, long maxAgeMillis) {
        List<ScheduledKey> keys = new ArrayList<>(size());
        for (FleetKey key : byIndex.values()) {
            if (key.openUntil() > nowMillis) {
                addIfUsable(keys, key.scheduled(sealsUntil(key.index(), maxAgeMillis)));
            }
        }
        for (FleetKey key : superseded) {
            if (key.openUntil() > nowMillis) {
                addIfUsable(keys, key.scheduled(Long.MIN_VALUE));
            }
        }
        return Collections.unmodifiableList(keys);
    }

    private static void addIfUsable(List<ScheduledKey> keys, ScheduledKey key) {
        if (key != null) {
            keys.add(key);
        }
    }

    @Override
    public String toString() {
        return "FleetKeys{" + byIndex.values() + (superseded.isEmpty() ? "" : ", superseded " + superseded) + "}";
    }
}

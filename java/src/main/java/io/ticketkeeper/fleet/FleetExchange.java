package io.ticketkeeper.fleet;

import io.ticketkeeper.KeyEvent;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One exchange of a node with the fleet's Redis, and the keys it holds between exchanges: it checks that it may
 * write (the fleet's schedule and wrapping key check value), reads every live period's entry, adopts new ones,
 * refuses bad ones once, writes back the ones Redis lost and makes the missing ones. Called by one thread at a
 * time (the source's lock); {@link #keys()} may be read by any.
 */
final class FleetExchange {
    private static final Logger LOG = System.getLogger("io.ticketkeeper");
    private static final String SCHEDULE_FIELD = "schedule";
    private static final String WRAP_FIELD = "wrap:";

    /** Where the exchange tells what it saw: the source's key events. */
    interface Reports {
        void report(KeyEvent.Type type, String key, String detail);
    }

    private final FleetSchedule schedule;
    private final KeyWrap wrap;
    private final FleetRedis redis;
    private final String where;
    private final long pollMillis;
    private final Reports reports;

    private volatile FleetKeys keys = FleetKeys.NONE;
    /** Entries refused already, by period, so that each is refused (counted, logged) once. */
    private final Map<Long, byte[]> refused = new HashMap<>();
    /** Why this node may not write, or null when it may. */
    private String readOnlyReason;
    private long written;
    private long writtenBack;

    FleetExchange(FleetSchedule schedule, KeyWrap wrap, FleetRedis redis, String where, long pollMillis,
            Reports reports) {
        this.schedule = schedule;
        this.wrap = wrap;
        this.redis = redis;
        this.where = where;
        this.pollMillis = pollMillis;
        this.reports = reports;
    }

    /** The keys held now. */
    FleetKeys keys() {
        return keys;
    }

    /**
     * Connects if need be and exchanges with Redis at the clock's time.
     *
     * @throws RuntimeException when Redis fails (Lettuce's exceptions); what was learned so far is kept
     */
    void run(Clock clock) {
        redis.connect();
        String cannotWrite = membership(clock.millis());
        readOnly(cannotWrite);
        // The time after connecting, which may take a while: the periods must be those of the writes.
        exchange(clock.millis(), cannotWrite == null);
    }

    /** Drops the keys that stop opening tickets by {@code nowMillis}. */
    void prune(long nowMillis) {
        keys = keys.pruned(nowMillis);
    }

    /** Cleanses every key held: the source is closing. */
    void destroyAll() {
        keys.all().forEach(FleetKey::destroy);
        keys = FleetKeys.NONE;
    }

    /**
     * Makes sure the fleet hash exists and says whether this node may write: null when it may, else why not (another
     * schedule, a wrapping key the fleet does not have). A wrapping key new to the fleet joins it only when this node
     * also holds a key the fleet has, so a node with nothing but a wrong key never writes.
     */
    private String membership(long now) {
        String id = wrap.wrappingId();
        Map<String, byte[]> fleet = redis.fleet();
        if (fleet.isEmpty()) {
            fleet = redis.bootstrap(Map.of(SCHEDULE_FIELD, bytes(schedule.describe()), WRAP_FIELD + id, check(id)),
                    schedule.openUntil(schedule.lastMade(now)));
        }
        String theirs = fleet.containsKey(SCHEDULE_FIELD)
                ? new String(fleet.get(SCHEDULE_FIELD), StandardCharsets.UTF_8) : "(none)";
        if (!theirs.equals(schedule.describe())) {
            return "the fleet in Redis rotates on '" + theirs + "', this node on '" + schedule.describe() + "'";
        }
        byte[] check = fleet.get(WRAP_FIELD + id);
        if (check == null) {
            String voucher = heldFleetKey(fleet);
            if (voucher == null) {
                return "none of this node's wrapping keys " + wrap.ids() + " is one of the fleet's "
                        + fleetKeyIds(fleet);
            }
            if (redis.addToFleet(WRAP_FIELD + id, check(id))) {
                LOG.log(Level.INFO, "TicketKeeper added the wrapping key '" + id + "' to the fleet's in Redis at "
                        + where + " (this node also holds the fleet's '" + voucher + "')");
            }
            check = redis.fleet().get(WRAP_FIELD + id);
        }
        String fails = check == null ? "it vanished" : wrap.checkFails(checkPlace(id), check);
        return fails == null ? null : "the fleet's check value for the wrapping key '" + id
                + "' does not open with this node's key of that id: " + fails;
    }

    /** One of this node's wrapping key ids whose check in the fleet hash opens, or null. */
    private String heldFleetKey(Map<String, byte[]> fleet) {
        for (String id : wrap.ids()) {
            byte[] check = fleet.get(WRAP_FIELD + id);
            if (check != null && wrap.checkFails(checkPlace(id), check) == null) {
                return id;
            }
        }
        return null;
    }

    private static TreeSet<String> fleetKeyIds(Map<String, byte[]> fleet) {
        TreeSet<String> ids = new TreeSet<>();
        fleet.keySet().stream().filter(field -> field.startsWith(WRAP_FIELD))
                .forEach(field -> ids.add(field.substring(WRAP_FIELD.length())));
        return ids;
    }

    private byte[] check(String id) {
        try {
            return wrap.check(checkPlace(id));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM failed: " + e.getMessage(), e);
        }
    }

    /** Where the check value of wrapping key {@code id} is kept: bound into it, so it cannot be moved. */
    private byte[] checkPlace(String id) {
        return bytes(new String(redis.fleetName(), StandardCharsets.UTF_8) + " " + WRAP_FIELD + id);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void readOnly(String reason) {
        if (Objects.equals(reason, readOnlyReason)) {
            return;
        }
        if (reason != null) {
            LOG.log(Level.WARNING, "TicketKeeper will not write to the fleet's Redis at " + where + ": " + reason
                    + "; it reads only");
        } else if (readOnlyReason != null) {
            LOG.log(Level.INFO, "TicketKeeper may write to the fleet's Redis at " + where + " again");
        }
        readOnlyReason = reason;
    }

    /** Reads every live period's entry: adopts new ones, writes back lost ones, makes missing ones. */
    private void exchange(long now, boolean writable) {
        long current = schedule.index(now);
        long first = schedule.firstLive(now);
        long last = schedule.lastMade(now);
        List<byte[]> entries = redis.entries(first, last);
        for (long index = first; index <= last; index++) {
            byte[] entry = entries.get((int) (index - first));
            FleetKey held = keys.get(index);
            if (entry != null) {
                if (held == null || !held.sameEntry(entry)) {
                    adopt(index, entry);
                }
            } else if (writable && held != null) {
                if (redis.put(index, held.entry(), held.openUntil())) {
                    writtenBack++;
                    LOG.log(Level.INFO, "TicketKeeper wrote the fleet key " + held.displayName() + " back to "
                            + redis.name(index) + ", which Redis had lost");
                }
            } else if (writable && index >= current) {
                make(index, now);
            }
        }
        refused.keySet().removeIf(index -> index < first);
    }

    /** Makes the key of period {@code index}, unless another node is first; a late key starts a poll later. */
    private void make(long index, long now) {
        long notBefore = schedule.notBefore(index);
        if (notBefore < now) {
            notBefore = keys.sealsAt(now, schedule.maxAgeMillis()) ? now + pollMillis : now;
        }
        long sealUntil = schedule.sealUntil(index);
        if (notBefore >= sealUntil) {
            return;
        }
        byte[] plaintext = FleetKey.newPlaintext(notBefore, sealUntil, schedule.openUntil(index));
        try {
            byte[] entry = wrap.wrap(redis.keyName(index), plaintext);
            if (!redis.put(index, entry, schedule.openUntil(index))) {
                byte[] winner = redis.entry(index);
                if (winner != null) {
                    adopt(index, winner);
                }
                return;
            }
            keys = keys.with(FleetKey.of(index, entry, plaintext, schedule));
            written++;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not wrap a new fleet key: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Takes the entry of period {@code index} from Redis into the keys held, or refuses it (once). */
    private void adopt(long index, byte[] entry) {
        byte[] seen = refused.get(index);
        if (seen != null && Arrays.equals(seen, entry)) {
            return;
        }
        String name = redis.name(index);
        byte[] plaintext = null;
        try {
            plaintext = wrap.unwrap(redis.keyName(index), entry);
            FleetKey key = FleetKey.of(index, entry, plaintext, schedule);
            refused.remove(index);
            FleetKey before = keys.get(index);
            if (before != null && !before.sameName(key)) {
                LOG.log(Level.WARNING, "TicketKeeper found another key in " + name + " than the " + before.displayName()
                        + " it holds for that period (Redis lost its keys and another server made a new one): "
                        + key.displayName() + " takes over, " + before.displayName() + " only opens tickets");
            }
            keys = keys.with(key);
            reports.report(KeyEvent.Type.FETCHED, key.displayName(), "from " + name + ", seals from "
                    + Instant.ofEpochMilli(key.notBefore()));
        } catch (GeneralSecurityException e) {
            refused.put(index, entry.clone());
            LOG.log(Level.WARNING, "TicketKeeper refused the fleet key entry " + name + " in Redis at " + where + ": "
                    + e.getMessage() + "; it stays out of the key ring");
            reports.report(KeyEvent.Type.REFUSED, name, e.getMessage());
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    String role() {
        return where + ", " + (readOnlyReason == null ? "writes (wrapping key '" + wrap.wrappingId() + "')"
                : "reads only: " + readOnlyReason) + ", " + keys.size() + " keys held, " + written + " made, "
                + writtenBack + " written back";
    }

}

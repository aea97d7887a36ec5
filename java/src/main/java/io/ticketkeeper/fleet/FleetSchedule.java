package io.ticketkeeper.fleet;

/**
 * The one schedule of a fleet, derived from time alone, so that every node computes the same without asking anyone:
 * time is cut into periods of {@code period} since the epoch; the key of period {@code k} seals from
 * {@code k * period} until {@code (k + 1) * period} and opens tickets for {@code maxAge + outageSealing} more. A key
 * is made {@link #STAGED_AHEAD} periods ahead, so every node holds it at least one full period before it seals.
 * When no next key is known (Redis unreachable), a key may keep sealing until its open-until time minus the maximum
 * ticket age, that is {@code outageSealing} past its period: every ticket it seals can still be opened fleet-wide
 * for its whole life.
 */
final class FleetSchedule {
    /** How many periods ahead of the current one keys are made. */
    static final int STAGED_AHEAD = 2;

    private final long period;
    private final long maxAge;
    private final long outageSealing;

    FleetSchedule(long periodMillis, long maxAgeMillis, long outageSealingMillis) {
        this.period = periodMillis;
        this.maxAge = maxAgeMillis;
        this.outageSealing = outageSealingMillis;
    }

    long periodMillis() {
        return period;
    }

    long maxAgeMillis() {
        return maxAge;
    }

    /** The period that {@code nowMillis} falls in. */
    long index(long nowMillis) {
        return Math.floorDiv(nowMillis, period);
    }

    long notBefore(long index) {
        return index * period;
    }

    long sealUntil(long index) {
        return (index + 1) * period;
    }

    long openUntil(long index) {
        return sealUntil(index) + maxAge + outageSealing;
    }

    /** The last moment a key that opens until {@code openUntil} may seal: its tickets must live their maximum age. */
    long lastSealing(long openUntil) {
        return openUntil - maxAge;
    }

    /** The oldest period whose key still opens tickets at {@code nowMillis}. */
    long firstLive(long nowMillis) {
        return Math.floorDiv(nowMillis - maxAge - outageSealing, period);
    }

    /** The newest period whose key is made by {@code nowMillis}. */
    long lastMade(long nowMillis) {
        return index(nowMillis) + STAGED_AHEAD;
    }

    /** How many keys a node holds at most: every live period and the staged ones. */
    long liveKeys() {
        return (maxAge + outageSealing) / period + STAGED_AHEAD + 2;
    }

    /**
     * Why a key of period {@code index} with this schedule does not belong to this fleet, or null when it does. A
     * key made late (Redis was down at the start of its period) may start sealing after its period starts.
     */
    String mismatch(long index, long notBefore, long sealUntil, long openUntil) {
        if (sealUntil != sealUntil(index) || openUntil != openUntil(index)) {
            return "its schedule (seals until " + sealUntil + ", opens until " + openUntil + ") is not this node's for "
                    + "period " + index + " (" + sealUntil(index) + ", " + openUntil(index) + "): " + describe();
        }
        if (notBefore < notBefore(index) || notBefore >= sealUntil) {
            return "it seals from " + notBefore + ", outside its period " + index + " (" + notBefore(index) + " to "
                    + sealUntil(index) + ")";
        }
        return null;
    }

    /** The schedule in words that every node of one fleet writes identically: compared as text. */
    String describe() {
        return "rotate=" + period + "ms maxAge=" + maxAge + "ms outageSealing=" + outageSealing + "ms";
    }

    @Override
    public String toString() {
        return describe();
    }
}

package io.ticketkeeper.internal;

import io.ticketkeeper.EarlyDataOptions;
import io.ticketkeeper.EarlyDataRequest;
import io.ticketkeeper.EarlyDataStats;
import io.ticketkeeper.ReplayAnswer;
import io.ticketkeeper.ReplayRecord;
import io.ticketkeeper.TicketPolicy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The early data decision behind the shim's early data upcall, shared by both backends: the record first, then the
 * policy with the record's answer in view. Nothing escapes: a failure refuses the early data and is counted. Runs
 * only when a client offers early data, so it may allocate (the record's key, the request).
 */
public final class EarlyDataDecider {
    private final EarlyDataOptions options;
    private final TicketPolicy policy;
    private final Clock clock;
    private final long windowMillis;
    /** With oncePerTicket: how long a ticket's identity is kept; else 0 (ClientHellos are recorded). */
    private final long ticketLifetimeMillis;
    private final Map<Long, String> hostNames = new ConcurrentHashMap<>();
    private final LongAdder offered = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejectedPolicy = new LongAdder();
    private final LongAdder rejectedReplay = new LongAdder();
    private final LongAdder rejectedStarting = new LongAdder();
    private final LongAdder rejectedFull = new LongAdder();
    private final LongAdder rejectedUnavailable = new LongAdder();
    private final LongAdder policyErrors = new LongAdder();
    private final FailureLog failures = new FailureLog(System.Logger.Level.WARNING);
    private final FailureLog limitFailures = new FailureLog(System.Logger.Level.WARNING);

    public EarlyDataDecider(EarlyDataOptions options, TicketPolicy policy, Clock clock) {
        this.options = options;
        this.windowMillis = options.record().window().toMillis();
        this.ticketLifetimeMillis = options.oncePerTicket().map(java.time.Duration::toMillis).orElse(0L);
        this.policy = policy;
        this.clock = clock;
    }

    public int maxBytes() {
        return options.maxBytes();
    }

    /** Names the host of the context attached under {@code contextId} (null: none). */
    public void addContext(long contextId, String hostName) {
        if (hostName != null) {
            hostNames.put(contextId, hostName);
        }
    }

    /** Forgets the host of a context that left. */
    public void removeContext(long contextId) {
        hostNames.remove(contextId);
    }

    /** What the shim's view holds. */
    public record View(long contextId, int protocolVersion, int cipherSuite, long maxEarlyData, boolean hasStamp,
            long issuedAtMillis, long keyGeneration, byte[] clientRandom, String serverName, String alpn,
            byte[] ticketId) {

        /** Reads the tk_early_data_view at {@code view} (ShimLayout's offsets). */
        static View read(NativeMemory memory, long view) {
            byte[] random = new byte[ShimLayout.CLIENT_RANDOM_LEN];
            memory.copy(view + ShimLayout.EARLY_CLIENT_RANDOM, random, random.length);
            byte[] ticketId = null;
            if (memory.getInt(view + ShimLayout.EARLY_HAS_TICKET_ID) != 0) {
                ticketId = new byte[ShimLayout.TICKET_ID_LEN];
                memory.copy(view + ShimLayout.EARLY_TICKET_ID, ticketId, ticketId.length);
            }
            return new View(memory.getLong(view + ShimLayout.EARLY_CONTEXT_ID),
                    memory.getInt(view + ShimLayout.EARLY_PROTOCOL_VERSION),
                    memory.getInt(view + ShimLayout.EARLY_CIPHER_ID),
                    Integer.toUnsignedLong(memory.getInt(view + ShimLayout.EARLY_MAX_EARLY_DATA)),
                    memory.getInt(view + ShimLayout.EARLY_HAS_STAMP) != 0,
                    memory.getLong(view + ShimLayout.EARLY_STAMP + ShimLayout.STAMP_ISSUED_AT_MS),
                    memory.getLong(view + ShimLayout.EARLY_STAMP + ShimLayout.STAMP_KEY_GENERATION), random,
                    text(memory, view + ShimLayout.EARLY_SERVER_NAME,
                            memory.getInt(view + ShimLayout.EARLY_SERVER_NAME_LEN), ShimLayout.MAX_SERVER_NAME_LEN),
                    text(memory, view + ShimLayout.EARLY_ALPN, memory.getInt(view + ShimLayout.EARLY_ALPN_LEN),
                            ShimLayout.MAX_ALPN_LEN),
                    ticketId);
        }

        private static String text(NativeMemory memory, long address, int length, int capacity) {
            if (length <= 0 || length > capacity) {
                return null;
            }
            byte[] bytes = new byte[length];
            memory.copy(address, bytes, length);
            return EarlyDataDecider.text(bytes, length);
        }
    }

    /**
     * The early data a ticket sealed now for the context {@code contextId} allows, at most {@code allowed} (what the
     * shim offers: the options' value). A policy failure gives 0 (no early data with this ticket), counted: a
     * policy that meant to lower the limit is not overruled by its own failure. Never throws.
     */
    public long maxEarlyData(long contextId, long allowed) {
        try {
            long wanted = policy.maxEarlyData(Optional.ofNullable(hostNames.get(contextId)), allowed);
            return Math.max(0, Math.min(wanted, allowed));
        } catch (Throwable t) {
            policyErrors.increment();
            limitFailures.record(t, EarlyDataDecider::limitFailed);
            return 0;
        }
    }

    /** True to accept the early data. Never throws. */
    public boolean decide(View view) {
        offered.increment();
        try {
            long now = clock.millis();
            long issuedAt = view.hasStamp() ? view.issuedAtMillis() : -1;
            ReplayAnswer answer = recordOf(view, issuedAt, now);
            EarlyDataRequest request = new EarlyDataRequest(Optional.ofNullable(hostNames.get(view.contextId())),
                    Optional.ofNullable(view.serverName()), Optional.ofNullable(view.alpn()), view.protocolVersion(),
                    view.cipherSuite(), view.maxEarlyData(), issuedAt, issuedAt < 0 ? -1 : Math.max(0, now - issuedAt),
                    view.hasStamp() ? view.keyGeneration() : -1, true, answer, now);
            boolean accept = policy.decideEarlyData(request);
            count(answer, accept);
            return accept;
        } catch (Throwable t) {
            policyErrors.increment();
            rejectedPolicy.increment();
            failures.record(t, EarlyDataDecider::failed);
            return false;
        }
    }

    /**
     * Records the ClientHello's random for the window, or with {@code oncePerTicket} the ticket's identity for the
     * ticket's lifetime (a ticket without one cannot be vouched for: unavailable).
     */
    private ReplayAnswer recordOf(View view, long issuedAt, long now) {
        ReplayRecord record = options.record();
        try {
            ReplayAnswer answer;
            if (ticketLifetimeMillis > 0) {
                answer = view.ticketId() == null ? ReplayAnswer.UNAVAILABLE
                        : record.record(view.ticketId(), ticketLifetimeMillis, issuedAt, now);
            } else {
                answer = record.record(view.clientRandom(), windowMillis, issuedAt, now);
            }
            return answer == null ? ReplayAnswer.UNAVAILABLE : answer;
        } catch (RuntimeException e) {
            policyErrors.increment();
            failures.record(e, EarlyDataDecider::failed);
            return ReplayAnswer.UNAVAILABLE;
        }
    }

    /** A refusal counts under the record's reason when the record refused, else under the policy. */
    private void count(ReplayAnswer answer, boolean accept) {
        if (accept) {
            accepted.increment();
            return;
        }
        switch (answer) {
            case REPLAY -> rejectedReplay.increment();
            case STARTING -> rejectedStarting.increment();
            case FULL -> rejectedFull.increment();
            case UNAVAILABLE -> rejectedUnavailable.increment();
            default -> rejectedPolicy.increment();
        }
    }

    private static String limitFailed(long times) {
        return "TicketPolicy.maxEarlyData failed (" + times + " times so far); that ticket allows no early data";
    }

    private static String failed(long times) {
        return "TicketKeeper's early data decision failed (" + times + " times so far); that early data was refused";
    }

    /** Decodes a length-limited byte field of the shim's view; null when empty. */
    public static String text(byte[] bytes, int length) {
        return length <= 0 || length > bytes.length ? null : new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    public EarlyDataStats stats() {
        return new EarlyDataStats(offered.sum(), accepted.sum(), rejectedPolicy.sum(), rejectedReplay.sum(),
                rejectedStarting.sum(), rejectedFull.sum(), rejectedUnavailable.sum(), policyErrors.sum());
    }

    /** The anti-replay record. */
    public ReplayRecord record() {
        return options.record();
    }

    /** Closes the record. */
    public void close() {
        try {
            options.record().close();
        } catch (Exception e) {
            failures.record(e, EarlyDataDecider::failed);
        }
    }
}

package io.ticketkeeper.micrometer;

import io.ticketkeeper.EarlyDataStats;
import io.ticketkeeper.KeyRingStats;
import io.ticketkeeper.KeySourceHealth;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.session.SessionCacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Binds one handle's counters to a Micrometer registry: {@code ticketkeeper.tickets} (tag {@code outcome}:
 * sealed, unsealed, resumed, renewed, rejected.unknown.key, rejected.policy, rejected.other.host, aborted, foreign:
 * opened by another library's key callback), {@code ticketkeeper.errors} (tag {@code kind}),
 * {@code ticketkeeper.key.events} (tag {@code type}: staged, promoted, retired, expired, load.failed, fetched,
 * refused), the gauges {@code ticketkeeper.keys} and {@code ticketkeeper.key.generation}, and the key source's
 * health: the gauge {@code ticketkeeper.key.source.up} (1 when its service answers or it needs none, 0 while it is
 * down) and the counter {@code ticketkeeper.key.source.failures}; with a session
 * cache installed also {@code ticketkeeper.sessions} (tag {@code outcome}: lookup, hit, miss, stored, removed) and
 * its faults under {@code ticketkeeper.errors} (store, session.too.large, session.bad). Micrometer is an optional
 * dependency: only this class needs it.
 */
// Micrometer's types in this class's signatures are not re-exported: whoever binds meters requires micrometer.core
// already, and everyone else must not be made to (module-info.java).
@SuppressWarnings("exports")
public final class TicketKeeperMeterBinder implements MeterBinder {
    private static final String ERRORS = "ticketkeeper.errors";
    private static final String ERRORS_DESCRIPTION = "faults answered with the safe outcome";

    private final TicketKeeperHandle handle;
    private final Tags tags;

    /** {@code tags} tell handles apart, for example {@code Tags.of("context", "public-https")}. */
    public TicketKeeperMeterBinder(TicketKeeperHandle handle, Iterable<Tag> tags) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    public TicketKeeperMeterBinder(TicketKeeperHandle handle) {
        this(handle, Tags.empty());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ticket(registry, "sealed", TicketStats::sealed);
        ticket(registry, "unsealed", TicketStats::unsealed);
        ticket(registry, "resumed", TicketStats::resumed);
        ticket(registry, "renewed", TicketStats::renewed);
        ticket(registry, "rejected.unknown.key", TicketStats::rejectedUnknownKey);
        ticket(registry, "rejected.policy", TicketStats::rejectedByPolicy);
        ticket(registry, "rejected.other.host", TicketStats::rejectedOtherHost);
        ticket(registry, "rejected.unbound", TicketStats::rejectedUnbound);
        ticket(registry, "rejected.reused", TicketStats::rejectedReusedTicket);
        ticket(registry, "rejected.unchecked", TicketStats::rejectedUncheckedTicket);
        ticket(registry, "unstamped.refused", TicketStats::unstampedTicketsRefused);
        ticket(registry, "aborted", TicketStats::aborted);
        ticket(registry, "foreign", TicketStats::foreignTickets);
        error(registry, "policy", TicketStats::policyErrors);
        error(registry, "upcall", TicketStats::upcallErrors);
        error(registry, "crypto", TicketStats::cryptoErrors);
        error(registry, "bad.decision", TicketStats::badDecisions);
        error(registry, "after.close", TicketStats::closedCallbacks);
        keyEvent(registry, "staged", KeyRingStats::staged);
        keyEvent(registry, "promoted", KeyRingStats::promoted);
        keyEvent(registry, "retired", KeyRingStats::retired);
        keyEvent(registry, "expired", KeyRingStats::expired);
        keyEvent(registry, "load.failed", KeyRingStats::loadFailures);
        keyEvent(registry, "fetched", KeyRingStats::fetched);
        keyEvent(registry, "refused", KeyRingStats::refused);
        Gauge.builder("ticketkeeper.key.source.up", handle,
                h -> h.keyRingStats().source().state() == KeySourceHealth.State.DOWN ? 0 : 1)
                .description("1 when the key source's service answers (or it needs none), 0 while it is down")
                .tags(tags).register(registry);
        FunctionCounter.builder("ticketkeeper.key.source.failures", handle,
                h -> h.keyRingStats().source().failures())
                .description("failed exchanges of the key source with its service").tags(tags).register(registry);
        Gauge.builder("ticketkeeper.keys", handle, h -> h.keyRingStats().keyCount())
                .description("ticket keys published").tags(tags).register(registry);
        Gauge.builder("ticketkeeper.key.generation", handle, h -> h.keyRingStats().generation())
                .description("generation of the published keys").tags(tags).register(registry);
        if (handle.sessionCacheStats().isPresent()) {
            bindSessionCache(registry);
        }
        if (handle.earlyDataEnabled()) {
            bindEarlyData(registry);
        }
    }

    private void bindEarlyData(MeterRegistry registry) {
        early(registry, "offered", EarlyDataStats::offered);
        early(registry, "accepted", EarlyDataStats::accepted);
        early(registry, "rejected.policy", EarlyDataStats::rejectedPolicy);
        early(registry, "rejected.replay", EarlyDataStats::rejectedReplay);
        early(registry, "rejected.starting", EarlyDataStats::rejectedStarting);
        early(registry, "rejected.full", EarlyDataStats::rejectedFull);
        early(registry, "rejected.unavailable", EarlyDataStats::rejectedUnavailable);
        counter(registry, ERRORS, ERRORS_DESCRIPTION, "kind", "early.data",
                h -> h.earlyDataStats().policyErrors());
    }

    private void early(MeterRegistry registry, String outcome, ToLongFunction<EarlyDataStats> count) {
        counter(registry, "ticketkeeper.early.data", "TLS 1.3 early data offers by outcome", "outcome", outcome,
                h -> count.applyAsLong(h.earlyDataStats()));
    }

    private void bindSessionCache(MeterRegistry registry) {
        session(registry, "lookup", SessionCacheStats::lookups);
        session(registry, "hit", SessionCacheStats::hits);
        session(registry, "miss", SessionCacheStats::misses);
        session(registry, "stored", SessionCacheStats::stored);
        session(registry, "removed", SessionCacheStats::removed);
        session(registry, "other.host.miss", SessionCacheStats::otherHostMisses);
        sessionError(registry, "store", SessionCacheStats::storeFailures);
        sessionError(registry, "session.too.large", SessionCacheStats::tooLarge);
        sessionError(registry, "session.bad", SessionCacheStats::badSessions);
    }

    private void session(MeterRegistry registry, String outcome, ToLongFunction<SessionCacheStats> count) {
        counter(registry, "ticketkeeper.sessions", "session cache lookups and updates by outcome", "outcome", outcome,
                h -> h.sessionCacheStats().map(count::applyAsLong).orElse(0L));
    }

    private void sessionError(MeterRegistry registry, String kind, ToLongFunction<SessionCacheStats> count) {
        counter(registry, ERRORS, ERRORS_DESCRIPTION, "kind", kind,
                h -> h.sessionCacheStats().map(count::applyAsLong).orElse(0L));
    }

    private void ticket(MeterRegistry registry, String outcome, ToLongFunction<TicketStats> count) {
        counter(registry, "ticketkeeper.tickets", "session tickets by outcome", "outcome", outcome,
                h -> count.applyAsLong(h.stats()));
    }

    private void error(MeterRegistry registry, String kind, ToLongFunction<TicketStats> count) {
        counter(registry, ERRORS, ERRORS_DESCRIPTION, "kind", kind, h -> count.applyAsLong(h.stats()));
    }

    private void keyEvent(MeterRegistry registry, String type, ToLongFunction<KeyRingStats> count) {
        counter(registry, "ticketkeeper.key.events", "key ring events", "type", type,
                h -> count.applyAsLong(h.keyRingStats()));
    }

    private void counter(MeterRegistry registry, String name, String description, String tag, String value,
            ToLongFunction<TicketKeeperHandle> read) {
        FunctionCounter.builder(name, handle, read::applyAsLong)
                .description(description).tags(tags).tag(tag, value).register(registry);
    }
}

package io.ticketkeeper.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.micrometer.TicketKeeperMeterBinder;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Binds each handle's counters ({@link TicketKeeperMeterBinder}: {@code ticketkeeper.tickets},
 * {@code ticketkeeper.keys}, ...) to Boot's meter registries once the application is ready: the handles are made
 * with the server's first SSL_CTX, after the registries. Tag {@code handle}: 1, 2, ... in the order the connectors
 * started.
 */
class TicketKeeperMetrics implements ApplicationListener<ApplicationReadyEvent> {
    private final ObjectProvider<MeterRegistry> registries;
    private final Set<TicketKeeperHandle> bound = Collections.newSetFromMap(new IdentityHashMap<>());

    TicketKeeperMetrics(ObjectProvider<MeterRegistry> registries) {
        this.registries = registries;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        for (TicketKeeperHandle handle : TicketKeeperHealth.open()) {
            if (bound.add(handle)) {
                TicketKeeperMeterBinder binder = new TicketKeeperMeterBinder(handle,
                        Tags.of("handle", String.valueOf(bound.size())));
                registries.orderedStream().forEach(binder::bindTo);
            }
        }
    }
}

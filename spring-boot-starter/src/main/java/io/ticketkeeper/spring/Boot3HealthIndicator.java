package io.ticketkeeper.spring;

import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator's {@code /actuator/health} component {@code ticketKeeper} on Spring Boot 3. All but Boot 3's
 * {@code Health} types is in {@link TicketKeeperHealth}: Boot 4 moved them to another package, hence a class each.
 */
class Boot3HealthIndicator implements HealthIndicator {
    @Override
    public Health health() {
        List<Map<String, Object>> handles = TicketKeeperHealth.handles();
        return TicketKeeperHealth.builder(handles, Health::up, Health::down, Health::unknown)
                .withDetail("handles", handles).build();
    }
}

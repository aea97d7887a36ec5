package io.ticketkeeper.spring;

import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Actuator's {@code /actuator/health} component {@code ticketKeeper} on Spring Boot 4. */
class Boot4HealthIndicator implements HealthIndicator {
    @Override
    public Health health() {
        List<Map<String, Object>> handles = TicketKeeperHealth.handles();
        Health.Builder health;
        switch (TicketKeeperHealth.status(handles)) {
            case UP:
                health = Health.up();
                break;
            case DOWN:
                health = Health.down();
                break;
            default:
                health = Health.unknown();
                break;
        }
        return health.withDetail("handles", handles).build();
    }
}

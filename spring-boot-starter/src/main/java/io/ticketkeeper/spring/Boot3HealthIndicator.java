package io.ticketkeeper.spring;

import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** Actuator's {@code /actuator/health} component {@code ticketKeeper} on Spring Boot 3. */
class Boot3HealthIndicator implements HealthIndicator {
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

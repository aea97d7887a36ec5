package io.ticketkeeper.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Boot 3's and Boot 4's health indicators build the same status through TicketKeeperHealth, each with its own Boot's
 * types: unknown before any handle is open, down while a key source is down, else up. (The indicators themselves
 * answer /actuator/health in the Spring Boot examples.)
 */
class HealthIndicatorsTest {
    private static final List<Map<String, Object>> NONE = List.of();
    private static final List<Map<String, Object>> UP = List.of(Map.of("keySource", "UP"));
    private static final List<Map<String, Object>> DOWN =
            List.of(Map.of("keySource", "UP"), Map.of("keySource", "DOWN"));

    @Test
    void boot3() {
        assertEquals("UNKNOWN", boot3(NONE));
        assertEquals("UP", boot3(UP));
        assertEquals("DOWN", boot3(DOWN));
    }

    @Test
    void boot4() {
        assertEquals("UNKNOWN", boot4(NONE));
        assertEquals("UP", boot4(UP));
        assertEquals("DOWN", boot4(DOWN));
    }

    private static String boot3(List<Map<String, Object>> handles) {
        return TicketKeeperHealth.builder(handles, org.springframework.boot.actuate.health.Health::up,
                org.springframework.boot.actuate.health.Health::down,
                org.springframework.boot.actuate.health.Health::unknown).build().getStatus().getCode();
    }

    private static String boot4(List<Map<String, Object>> handles) {
        return TicketKeeperHealth.builder(handles, org.springframework.boot.health.contributor.Health::up,
                org.springframework.boot.health.contributor.Health::down,
                org.springframework.boot.health.contributor.Health::unknown).build().getStatus().getCode();
    }
}

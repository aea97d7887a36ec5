package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.endpoints.Rfc5077Scenarios;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** The RFC 5077 test plan, every scenario for both versions over both transports. */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class Rfc5077ScenariosTest {
    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() {
        List<DynamicTest> tests = new ArrayList<>();
        for (TlsVersion version : TlsVersion.values()) {
            for (Transport transport : Transport.values()) {
                List<Rfc5077Scenarios.Check> checks = new Rfc5077Scenarios(version, transport).run();
                assertEquals(6, checks.size(), "scenarios run for " + version + " over " + transport);
                for (Rfc5077Scenarios.Check check : checks) {
                    tests.add(DynamicTest.dynamicTest(check.name(),
                            () -> assertTrue(check.passed(), check.name() + ": " + check.detail())));
                }
            }
        }
        return tests.stream();
    }
}

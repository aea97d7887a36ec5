package io.ticketkeeper.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.tomcat.TicketKeeperProperties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spring's ticketkeeper.* properties go through ticketkeeper-tomcat's parser: the same options as the file would
 * give, and messages that name the property as Spring spells it, with the value and the reason.
 */
class SpringSettingsTest {
    private static String failure(TicketKeeperSpringProperties properties) {
        return assertThrows(TicketKeeperConfigurationException.class, () -> SpringSettings.parse(properties))
                .getMessage();
    }

    @Test
    void defaultsAreRotationAndTheDefaultPolicyWithJmx() {
        TicketKeeperProperties.Settings settings = SpringSettings.parse(new TicketKeeperSpringProperties());
        TicketKeeperOptions options = settings.options();
        assertEquals(KeyRotation.builder().sealFor(Duration.ofHours(1)).openFor(Duration.ofHours(12)).build(),
                options.keySource().orElseThrow());
        assertEquals(DefaultTicketPolicy.builder().maxAge(Duration.ofHours(12)).renewAfter(Duration.ofHours(6))
                .build(), options.policy());
        assertTrue(settings.jmx());
    }

    @Test
    void renewAfterDefaultsToHalfOfMaxAge() {
        TicketKeeperSpringProperties properties = new TicketKeeperSpringProperties();
        properties.getPolicy().setMaxAge(Duration.ofMinutes(2));
        properties.getJmx().setEnabled(false);
        TicketKeeperProperties.Settings settings = SpringSettings.parse(properties);
        assertEquals(DefaultTicketPolicy.builder().maxAge(Duration.ofMinutes(2)).renewAfter(Duration.ofMinutes(1))
                .build(), settings.options().policy());
        assertTrue(!settings.jmx());
    }

    @Test
    void aWrongSettingNamesTheSpringPropertyItsValueAndTheReason() {
        TicketKeeperSpringProperties properties = new TicketKeeperSpringProperties();
        properties.getPolicy().setMaxAge(Duration.ofMinutes(2));
        properties.getPolicy().setRenewAfter(Duration.ofHours(6));
        assertEquals("Spring Boot's ticketkeeper.* properties: ticketkeeper.policy.renew-after = '6h': must be "
                + "between 0 and ticketkeeper.policy.max-age ('2m')", failure(properties));

        properties = new TicketKeeperSpringProperties();
        properties.getKeys().setSource("bogus");
        assertTrue(failure(properties).startsWith("Spring Boot's ticketkeeper.* properties: ticketkeeper.keys.source"
                + " = 'bogus': expected rotation, files or a Redis URI"));

        properties = new TicketKeeperSpringProperties();
        properties.getKeys().setSource("files");
        assertTrue(failure(properties).contains("ticketkeeper.keys.files = '': keys = files needs at least one"));

        properties = new TicketKeeperSpringProperties();
        properties.setShareTickets(List.of("a.test b.test", "b.test c.test"));
        assertTrue(failure(properties).contains("ticketkeeper.share-tickets = 'a.test b.test;b.test c.test'"));

        properties = new TicketKeeperSpringProperties();
        properties.getSessionCache().setStore("disk");
        assertTrue(failure(properties).contains("ticketkeeper.session-cache.store = 'disk'"));
    }

    /** Every setting the starter hands the parser has its property in the IDE metadata under the name messages use. */
    @Test
    void everySettingsNameIsAPropertyOfTheMetadata() throws IOException {
        String metadata = Files.readString(Path.of("target", "classes", "META-INF",
                "spring-configuration-metadata.json"));
        TicketKeeperSpringProperties all = new TicketKeeperSpringProperties();
        all.getKeys().setFiles(List.of("a.key"));
        all.getKeys().setWrappingKeys(List.of("w1:x"));
        all.getPolicy().setRenewAfter(Duration.ofHours(1));
        all.setShareTickets(List.of("a.test b.test"));
        all.setSessionIdContext("nginx");
        all.getSessionCache().setSealingKeys(List.of("k1:x"));
        for (String name : SpringSettings.toFile(all).stringPropertyNames()) {
            String spring = name.equals("policy") ? "ticketkeeper.policy.class-name" : SpringSettings.springName(name);
            assertTrue(metadata.contains("\"name\": \"" + spring + "\""), name + " -> " + spring);
        }
    }

    @Test
    void durationsAreWrittenInTheirLargestWholeUnit() {
        assertEquals("90s", SpringSettings.text(Duration.ofSeconds(90)));
        assertEquals("2m", SpringSettings.text(Duration.ofMinutes(2)));
        assertEquals("1d", SpringSettings.text(Duration.ofHours(24)));
        assertEquals("1500ms", SpringSettings.text(Duration.ofMillis(1500)));
        assertEquals("0ms", SpringSettings.text(Duration.ZERO));
    }
}

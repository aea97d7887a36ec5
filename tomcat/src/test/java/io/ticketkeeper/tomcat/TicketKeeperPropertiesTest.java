package io.ticketkeeper.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.DefaultTicketPolicy;
import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.SessionDecision;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.TicketSession;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The properties file's settings become options; every wrong one names the file, the setting and the value. */
class TicketKeeperPropertiesTest {
    private static final Path BASE = Path.of("/etc/tomcat");

    private static TicketKeeperOptions parse(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return TicketKeeperProperties.parse(properties, BASE, "ticketkeeper.properties");
    }

    private static String failure(String text) {
        return assertThrows(IllegalArgumentException.class, () -> parse(text)).getMessage();
    }

    /** A policy a properties file can name. */
    public static final class NamedPolicy implements TicketPolicy {
        @Override
        public int selectKey(KeySnapshot keys, long nowMillis) {
            return 0;
        }

        @Override
        public KeyDecision decideKey(KeySnapshot keys, int slot, long nowMillis) {
            return KeyDecision.USE;
        }

        @Override
        public SessionDecision decideSession(TicketSession session) {
            return SessionDecision.USE;
        }
    }

    @Test
    void everySettingReachesTheOptions() throws IOException {
        TicketKeeperOptions options = parse("keys = files\nkeys.files = ticket.key, /var/keys/old.key\n"
                + "keys.format = openssl-80\npolicy.maxAge = 2h\npolicy.renewAfter = 30m\n"
                + "shareTickets = a.test B.test; c.test,d.test\nsessionCache = memory:100\n");
        assertEquals(KeyFiles.of(KeyFileFormat.OPENSSL_80, BASE.resolve("ticket.key"), Path.of("/var/keys/old.key")),
                options.keySource().orElseThrow());
        assertEquals(DefaultTicketPolicy.builder().maxAge(Duration.ofHours(2)).renewAfter(Duration.ofMinutes(30))
                .build(), options.policy());
        assertEquals(List.of(Set.of("a.test", "b.test"), Set.of("c.test", "d.test")), options.sharedTicketHosts());
        assertTrue(options.sessionCache().isPresent());

        TicketKeeperOptions defaults = parse("keys.sealFor = 10m\npolicy = " + NamedPolicy.class.getName() + "\n");
        assertEquals(KeyRotation.builder().sealFor(Duration.ofMinutes(10)).build(), defaults.keySource().orElseThrow());
        assertInstanceOf(NamedPolicy.class, defaults.policy());
        assertTrue(defaults.sessionCache().isEmpty());
    }

    @Test
    void wrongSettingsAreNamed() {
        assertTrue(failure("keys.file = x\n").contains("ticketkeeper.properties: unknown setting 'keys.file'"));
        assertTrue(failure("keys = files\n").contains("keys.files = '': keys = files needs at least one file"));
        assertTrue(failure("keys = magic\n").contains("keys = 'magic': expected rotation or files"));
        assertTrue(failure("keys.sealFor = 10 minutes\n")
                .contains("keys.sealFor = '10 minutes': not a duration"));
        assertTrue(failure("keys = files\nkeys.files = a.key\nkeys.format = pem\n")
                .contains("keys.format = 'pem'"));
        assertTrue(failure("policy = no.such.Policy\n").contains("policy = 'no.such.Policy': not a TicketPolicy"));
        assertTrue(failure("shareTickets = a.test b.test; b.test c.test\n")
                .contains("ticketkeeper.properties: shareTickets = 'a.test b.test; b.test c.test': the host 'b.test'"));
        assertTrue(failure("sessionCache = disk\n").contains("sessionCache = 'disk': unknown session cache"));
        assertTrue(failure("sessionIdContext = xyz\n").contains("sessionIdContext = 'xyz'"));
        assertTrue(failure("policy.maxAge = 1h\npolicy.renewAfter = 2h\n").contains("renewAfter"));
    }
}

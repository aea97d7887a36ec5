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
        assertTrue(failure("keys = magic\n").contains("keys = 'magic': expected rotation, files or a Redis URI"));
        assertTrue(failure("keys.sealFor = 10 minutes\n")
                .contains("keys.sealFor = '10 minutes': not a duration"));
        assertTrue(failure("keys = files\nkeys.files = a.key\nkeys.format = pem\n")
                .contains("keys.format = 'pem'"));
        assertTrue(failure("policy = no.such.Policy\n").contains("policy = 'no.such.Policy': not a TicketPolicy"));
        assertTrue(failure("shareTickets = a.test b.test; b.test c.test\n")
                .contains("ticketkeeper.properties: shareTickets = 'a.test b.test; b.test c.test': the host 'b.test'"));
        assertTrue(failure("sessionCache = disk\n").contains("sessionCache = 'disk': unknown session cache"));
        assertTrue(failure("sessionIdContext = xyz\n").contains("sessionIdContext = 'xyz'"));
        assertEquals("ticketkeeper.properties: policy.renewAfter = '2h': must be between 0 and policy.maxAge ('1h')",
                failure("policy.maxAge = 1h\npolicy.renewAfter = 2h\n"));
    }

    /** A fleet's settings are checked before any Redis is asked; a wrapping key is named, never shown. */
    @Test
    void aWrongFleetSettingNamesTheSettingAndHidesKeyMaterial() {
        assertEquals("ticketkeeper.properties: keys.wrappingKeys = '': a fleet's keys need at least one wrapping "
                + "key (ID:BASE64)", failure("keys = redis://127.0.0.1:1\n"));
        String secret = "w1:c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0";
        String message = failure("keys = redis-sentinel://127.0.0.1:1#m\nkeys.wrappingKeys = " + secret + "\n");
        assertTrue(message.startsWith("ticketkeeper.properties: keys.wrappingKeys = '(not shown)': "), message);
        assertTrue(!message.contains("c2VjcmV0"), message);
        assertTrue(failure("keys = memcached://host\n").contains("keys = 'memcached://host': expected rotation, "
                + "files or a Redis URI"));
    }

    @Test
    void aRedisPasswordIsNeverShown() {
        String wrappingKey = "w1:a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=";
        for (String uri : List.of("redis://fleet:hunter2@127.0.0.1:notaport", "memcached://fleet:hunter2@host")) {
            String message = assertThrows(RuntimeException.class,
                    () -> parse("keys = " + uri + "\nkeys.wrappingKeys = " + wrappingKey + "\n")).getMessage();
            assertTrue(!message.contains("hunter2"), message);
        }
        assertTrue(failure("keys = memcached://fleet:hunter2@host\n").contains("keys = 'memcached://fleet:***@host'"));
        assertEquals("rediss-sentinel://:***@a:1,b:2#m",
                TicketKeeperProperties.shown("rediss-sentinel://:pw@a:1,b:2#m"));
        assertEquals("redis://127.0.0.1:6379", TicketKeeperProperties.shown("redis://127.0.0.1:6379"));
    }

    /** An embedding names the settings its own way in every message. */
    @Test
    void messagesNameSettingsAsTheEmbeddingSpellsThem() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader("policy.maxAge = 2m\npolicy.renewAfter = 6h\n"));
        String message = assertThrows(IllegalArgumentException.class, () -> TicketKeeperProperties.parseSettings(
                properties, BASE, "Spring", name -> "spring." + name)).getMessage();
        assertEquals("Spring: spring.policy.renewAfter = '6h': must be between 0 and spring.policy.maxAge ('2m')",
                message);
    }

    @Test
    void renewAfterDefaultsToHalfOfMaxAge() throws IOException {
        assertEquals(DefaultTicketPolicy.builder().maxAge(Duration.ofMinutes(2)).renewAfter(Duration.ofMinutes(1))
                .build(), parse("policy.maxAge = 2m\n").policy());
    }

    /** The README's example as it stands: a comment after a value, white space before its '#', is a comment. */
    @Test
    void theReadmesExampleWithCommentsAfterValuesParses() throws IOException {
        TicketKeeperOptions options = parse(String.join("\n",
                "keys = files                        # or: rotation (generated keys), with keys.sealFor = 1h, "
                        + "keys.openFor = 12h",
                "keys.files = ticket.key, old.key    # the first seals, all open; relative to this file; reloaded "
                        + "every 10 s",
                "keys.format = nginx                 # nginx (80 or 48 bytes), openssl-80, nginx-48, openssl-48, "
                        + "haproxy",
                "policy.maxAge = 12h                 # the default policy; or policy = com.example.MyTicketPolicy",
                "policy.renewAfter = 6h",
                "shareTickets = a.test www.a.test    # hosts whose tickets resume on each other; groups separated "
                        + "by ';'",
                "sessionIdContext = nginx            # to share tickets with nginx (with its key file and "
                        + "certificate)",
                "sessionCache = none                 # or memory:50000, or redis://host:port with "
                        + "sessionCache.sealingKeys = k1:BASE64", ""));
        assertEquals(KeyFiles.of(KeyFileFormat.NGINX, BASE.resolve("ticket.key"), BASE.resolve("old.key")),
                options.keySource().orElseThrow());
        assertEquals(List.of(Set.of("a.test", "www.a.test")), options.sharedTicketHosts());
        assertTrue(options.sessionCache().isEmpty());
        assertTrue(options.sessionIdContext().isPresent());
    }

    /** docs/tomcat.md's example, read from the file: comments on their own lines. */
    @Test
    void theDocsExampleParses() throws IOException {
        String doc = java.nio.file.Files.readString(Path.of("..", "docs", "tomcat.md"));
        int start = doc.indexOf("```properties\n");
        assertTrue(start >= 0, "docs/tomcat.md has no properties example");
        String example = doc.substring(start + "```properties\n".length(), doc.indexOf("```", start + 3));
        Properties properties = new Properties();
        properties.load(new StringReader(example));
        TicketKeeperProperties.Settings settings = TicketKeeperProperties.parseSettings(properties, BASE,
                "ticketkeeper.properties");
        assertEquals(KeyFiles.of(KeyFileFormat.NGINX, BASE.resolve("ticket.key"), BASE.resolve("previous.key")),
                settings.options().keySource().orElseThrow());
        assertEquals(DefaultTicketPolicy.builder().maxAge(Duration.ofHours(12)).build(), settings.options().policy());
        assertTrue(settings.jmx());
    }

    @Test
    void jmxIsOnUnlessSetToFalse() throws IOException {
        Properties properties = new Properties();
        assertTrue(TicketKeeperProperties.parseSettings(properties, BASE, "t.properties").jmx());
        properties.load(new StringReader("jmx = false   # no MXBean\n"));
        assertEquals(false, TicketKeeperProperties.parseSettings(properties, BASE, "t.properties").jmx());
        assertTrue(failure("jmx = no\n").contains("ticketkeeper.properties: jmx = 'no': expected true or false"));
    }
}

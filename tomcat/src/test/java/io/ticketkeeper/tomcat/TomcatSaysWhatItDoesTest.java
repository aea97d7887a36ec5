package io.ticketkeeper.tomcat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.harness.HostCertificate;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FFM connector says what runs: one line at start (backend, connector, keys, hosts, session cache, JMX name), an
 * MXBean unless {@code jmx = false}, one line at stop with the totals; a wrong setting fails the connector with the
 * file, the setting and the value.
 */
class TomcatSaysWhatItDoesTest {
    private static final Logger LOGGER = Logger.getLogger(TicketKeeperSslImplementation.class.getName());

    @TempDir
    Path folder;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        LOGGER.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        LOGGER.removeHandler(handler);
        System.clearProperty(TicketKeeperProperties.FILE_PROPERTY);
    }

    private String await(String text) throws InterruptedException {
        for (int wait = 0; wait < 500; wait++) {
            for (String line : lines) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line with '" + text + "': " + lines);
    }

    private EmbeddedTomcat start(String settings) throws Exception {
        HostCertificate certificate = HostCertificate.create(folder, "a.test", "b.test");
        if (settings != null) {
            Path file = folder.resolve("ticketkeeper.properties");
            Files.writeString(file, settings);
            System.setProperty(TicketKeeperProperties.FILE_PROPERTY, file.toString());
        }
        return EmbeddedTomcat.start(folder.resolve("tomcat"), TicketKeeperSslImplementation.class.getName(),
                certificate, "a.test", "b.test");
    }

    @Test
    void oneLineAtStartAnMxBeanAndOneLineAtStop() throws Exception {
        ObjectName name;
        try (EmbeddedTomcat tomcat = start(null)) {
            String line = await("runs:");
            System.out.println("start line: " + line);
            assertTrue(line.contains("backend " + TicketKeeper.backendDescription() + ", connector ffm, keys "
                    + "KeyRotation{"), line);
            assertTrue(line.contains("(defaults: no "), line);
            assertTrue(line.contains(" contexts, session cache none"), line);
            // Both hosts, in the start line, or (a context that joined after it) a line of its own.
            for (String host : new String[] {"a.test", "b.test"}) {
                assertTrue(line.matches(".*hosts \\[[^]]*" + Pattern.quote(host) + ".*")
                        || await("serves " + host + " too").startsWith("INFO "), line);
            }
            Matcher matcher = Pattern.compile("JMX (io\\.ticketkeeper:type=TicketKeeper,name=\"tomcat-[0-9]+\")")
                    .matcher(line);
            assertTrue(matcher.find(), line);
            name = new ObjectName(matcher.group(1));
            assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(name), name::toString);
            assertTrue(tomcat.port() > 0);
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(name), "the MXBean outlived Tomcat");
        String stop = await("stopped:");
        System.out.println("stop line: " + stop);
        assertTrue(stop.matches("INFO TicketKeeper \\[tomcat-[0-9]+\\] stopped: sealed [0-9]+, resumed [0-9]+, .*"),
                stop);
    }

    @Test
    void jmxFalseRegistersNothing() throws Exception {
        try (EmbeddedTomcat tomcat = start("jmx = false\n")) {
            String line = await("runs:");
            assertTrue(line.endsWith("JMX off"), line);
            assertTrue(ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("io.ticketkeeper:type=TicketKeeper,*"), null).isEmpty());
            assertTrue(tomcat.port() > 0);
        }
    }

    @Test
    void aWrongSettingFailsTheConnectorNamingTheFileTheSettingAndTheValue() throws Exception {
        LifecycleException failure = assertThrows(LifecycleException.class,
                () -> start("keys = rotation\nkeys.sealFor = an hour\n").close());
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause).append('\n');
        }
        assertTrue(messages.toString().contains("TicketKeeper: " + folder.resolve("ticketkeeper.properties")
                + ": keys.sealFor = 'an hour': not a duration"), messages::toString);
        assertFalse(messages.toString().contains("host '"), messages::toString);
        assertTrue(TicketKeeperSslImplementation.openHandles().isEmpty());
    }
}

package io.ticketkeeper.tomcat.tcnative;

import static io.ticketkeeper.tomcat.ConnectorHandle.counted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.harness.JdkHttpsClient;
import io.ticketkeeper.harness.SClient;
import io.ticketkeeper.tomcat.ConnectorHandle;
import io.ticketkeeper.tomcat.TicketKeeperProperties;
import io.ticketkeeper.tomcat.TicketKeeperSslImplementation;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.net.ssl.SSLContext;
import org.apache.tomcat.jni.Library;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tomcat 10.1 with tomcat-native's JNI connector (Debian's libtcnative-1) and TicketKeeper named by
 * {@code sslImplementationName}, in the JVM surefire was given (Java 17 where installed: the JNA backend with JNI
 * upcalls). Two virtual hosts, keys from an nginx key file in a properties file, real {@code openssl s_client} and
 * the JDK's HttpClient, TLS 1.2 and 1.3.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TcnativeVirtualHostsTest {
    private static final String[] HOSTS = {"a.test", "b.test"};
    private static final String LOGGER = TicketKeeperSslImplementation.class.getName();

    @TempDir
    static Path folder;
    private static LogLines log;
    private static Tomcat10 tomcat;
    private static SSLContext trusting;

    @BeforeAll
    static void startTomcat() throws Exception {
        HostCertificate certificate = HostCertificate.create(folder, HOSTS);
        trusting = certificate.trustingClientContext();
        byte[] key = new byte[80];
        new SecureRandom().nextBytes(key);
        Files.write(folder.resolve("ticket.key"), key);
        Path settings = folder.resolve("ticketkeeper.properties");
        // As the README writes it: comments on their own lines, and one after a value.
        Files.writeString(settings, "# TicketKeeper for this Tomcat\nkeys = files   # nginx's key file\n"
                + "keys.files = ticket.key\nkeys.format = nginx\n");
        System.setProperty(TicketKeeperProperties.FILE_PROPERTY, settings.toString());
        log = new LogLines(LOGGER);
        tomcat = Tomcat10.start(folder.resolve("tomcat"), TicketKeeperSslImplementation.class.getName(),
                certificate, HOSTS);
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        System.clearProperty(TicketKeeperProperties.FILE_PROPERTY);
        if (tomcat != null) {
            tomcat.close();
        }
        if (log != null) {
            log.close();
        }
    }

    @Order(0)
    @Test
    void theStartLineSaysWhatRuns() throws Exception {
        assertTrue(Library.TCN_MAJOR_VERSION > 0, "AprLifecycleListener did not load tomcat-native");
        String line = log.await("runs:");
        System.out.println("start line: " + line);
        assertTrue(line.startsWith("INFO TicketKeeper [tomcat-"), line);
        assertTrue(line.contains("backend " + TicketKeeper.backendDescription()), line);
        if (Runtime.version().feature() < 22) {
            assertTrue(line.contains("backend jna (jni upcalls)"), line);
        }
        assertTrue(line.contains("connector tcnative " + Library.TCN_MAJOR_VERSION + "."), line);
        // Both hosts, in the start line, or (a context that joined after it, on a slow machine) a line of its own.
        for (String host : HOSTS) {
            assertTrue(line.matches(".*hosts \\[[^]]*" + Pattern.quote(host) + ".*")
                    || log.await("serves " + host + " too").startsWith("INFO "), line);
        }
        assertTrue(line.contains("KeyFiles{NGINX"), line);
        assertTrue(line.contains("ticketkeeper.properties"), line);
        assertTrue(line.contains("session cache none"), line);
        assertTrue(line.contains("JMX io.ticketkeeper:type=TicketKeeper"), line);
        assertEquals(1, log.lines().stream().filter(l -> l.contains("runs:")).count(), log.lines()::toString);
    }

    @Order(1)
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void sClientResumesOnEachHostAndATicketForAnotherHostGetsAFullHandshake(TlsVersion version) throws Exception {
        for (String host : HOSTS) {
            Path session = folder.resolve(host + "-" + version + ".pem");
            long resumed = counted(host, TicketStats::resumed);
            String first = SClient.connect(tomcat.port(), version, host, null, session);
            assertTrue(SClient.fresh(first, version) && first.contains("ok " + host), first);
            for (int again = 0; again < 2; again++) {
                String output = SClient.connect(tomcat.port(), version, host, session, null);
                assertTrue(SClient.reused(output, version) && output.contains("ok " + host), host + ": " + output);
            }
            assertEquals(resumed + 2, counted(host, TicketStats::resumed), "TicketKeeper did not count them");
        }
        long rejected = counted("b.test", TicketStats::rejectedOtherHost);
        String crossed = SClient.connect(tomcat.port(), version, "b.test",
                folder.resolve("a.test-" + version + ".pem"), null);
        assertTrue(SClient.fresh(crossed, version) && crossed.contains("ok b.test"),
                "a ticket for a.test resumed on b.test: " + crossed);
        assertEquals(rejected + 1, counted("b.test", TicketStats::rejectedOtherHost));
        System.out.println(version + ": resumed 2/2 per host, a.test's ticket refused by b.test 1/1");
    }

    @Order(2)
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void theJdkClientResumesOnEachHost(TlsVersion version) throws Exception {
        for (String host : HOSTS) {
            long resumed = counted(host, TicketStats::resumed);
            for (int request = 0; request < 3; request++) {
                assertEquals("ok " + host, JdkHttpsClient.get(trusting, host, tomcat.port(), version));
            }
            assertEquals(resumed + 2, counted(host, TicketStats::resumed),
                    host + ": the JDK client's second and third connections did not resume");
        }
    }

    @Order(3)
    @Test
    void theCountersAreInJmx() throws Exception {
        String line = log.await("runs:");
        Matcher name = Pattern.compile("JMX (io\\.ticketkeeper:type=TicketKeeper,name=\"tomcat-[0-9]+\")")
                .matcher(line);
        assertTrue(name.find(), line);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long resumed = (Long) server.getAttribute(new ObjectName(name.group(1)), "Resumed");
        assertEquals(ConnectorHandle.only().stats().resumed(), resumed);
        assertTrue(resumed >= 12, "resumed " + resumed);
    }

    @Order(4)
    @Test
    void stoppingTomcatClosesTheHandleAndSaysSo() throws Exception {
        TicketKeeperHandle handle = ConnectorHandle.only();
        List<TicketContext> contexts = handle.contexts();
        String name = log.await("runs:").replaceAll(".*JMX (io\\.ticketkeeper:[^ ]+\").*", "$1");
        Tomcat10 stopping = tomcat;
        tomcat = null;
        stopping.close();
        assertTrue(handle.isClosed(), "Tomcat stopped but the handle is open");
        assertFalse(TicketKeeperSslImplementation.openHandles().contains(handle));
        for (TicketContext context : contexts) {
            assertTrue(context.state() != TicketContext.State.ATTACHED, context::toString);
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(name)), name);
        String line = log.await("stopped:");
        System.out.println("stop line: " + line);
        assertTrue(line.matches("INFO TicketKeeper \\[tomcat-[0-9]+\\] stopped: sealed [1-9][0-9]*, resumed "
                + "[1-9][0-9]*, .*rejected [0-9]+ unknown key, 0 by policy, [1-9][0-9]* other host, .*errors 0"),
                line);
    }
}

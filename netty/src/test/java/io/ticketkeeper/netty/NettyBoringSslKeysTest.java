package io.ticketkeeper.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.KeySnapshot;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.harness.HostCertificate;
import io.ticketkeeper.harness.RedisServer;
import io.ticketkeeper.harness.SClient;
import io.ticketkeeper.session.redis.SealingKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Key-management mode on {@code netty-tcnative-boringssl-static} (surefire execution {@code boringssl-static}):
 * TicketKeeper's key files and fleet keys drive Netty's own ticket keys, and real {@code openssl s_client} sessions
 * show it: tickets resume across two servers sharing a fleet through a real redis-server, through a rotation; a
 * single server on a key file resumes, and after the file changes opens old tickets and seals with the new key
 * (the key name at the head of each ticket says which key sealed it); a ticket of another ring gets a full
 * handshake. TicketKeeper's shim is never loaded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NettyBoringSslKeysTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String HOST = "a.test";

    @TempDir
    static Path folder;
    private static HostCertificate certificate;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void onBoringSsl() throws Exception {
        assumeTrue(Boolean.getBoolean("tk.netty.boringssl"), "runs in the boringssl-static execution only");
        OpenSsl.ensureAvailability();
        assertTrue(OpenSsl.versionString().contains("BoringSSL"), "this run should have Netty on BoringSSL: "
                + OpenSsl.versionString());
        certificate = HostCertificate.create(folder, HOST);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        assertEquals(List.of(), Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("libticketkeeper")).toList(), "TicketKeeper's shim was loaded");
    }

    /** A Netty HTTPS server on BoringSSL whose ticket keys TicketKeeper manages with {@code options}. */
    private NettyTicketKeys serve(TicketKeeperOptions options, int[] port) throws Exception {
        SslContext context = SslContextBuilder.forServer(certificate.certificateFile().toFile(),
                certificate.keyFile().toFile()).sslProvider(SslProvider.OPENSSL).protocols("TLSv1.2", "TLSv1.3").build();
        NettyTicketKeys keys = TicketKeeperNetty.manageKeys(context, options);
        closing.add(keys);
        NettyHttpsServer server = NettyHttpsServer.start(connection -> context.newHandler(connection.alloc()));
        closing.add(server);
        port[0] = server.port();
        return keys;
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void twoServersSharingFleetKeysResumeEachOthersTicketsThroughARotation(TlsVersion version) throws Exception {
        RedisServer redis = RedisServer.start();
        closing.add(redis);
        SealingKey wrapping = SealingKey.generate("w1");
        int[] portA = new int[1];
        int[] portB = new int[1];
        NettyTicketKeys a = serve(fleet(redis, wrapping), portA);
        serve(fleet(redis, wrapping), portB);

        Path first = folder.resolve("fleet-first-" + version + ".pem");
        String full = SClient.connect(portA[0], version, HOST, null, first);
        assertTrue(SClient.fresh(full, version) && full.contains("ok " + HOST), full);
        String sealedBy = ticketKeyName(first);
        // Sealed by a key of the fleet's ring (which one depends on how near a period's end this ran: Netty gets
        // the next key up to one check interval after its time).
        assertTrue(names(a).contains(sealedBy), "A's ticket is not sealed by a key of the ring: " + sealedBy);
        String onB = SClient.connect(portB[0], version, HOST, first, null);
        assertTrue(SClient.reused(onB, version), "B did not resume A's ticket: " + onB);

        // The fleet's next key (staged a period ahead on both) starts sealing; both servers pick it up within
        // their check interval.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sealingName(a).equals(sealedBy)) {
            assertTrue(System.nanoTime() < deadline, "no rotation in 10 s");
            Thread.sleep(100);
        }
        Thread.sleep(1000);

        String oldOnB = SClient.connect(portB[0], version, HOST, first, null);
        assertTrue(SClient.reused(oldOnB, version), "a ticket of the previous key did not resume: " + oldOnB);
        Path second = folder.resolve("fleet-second-" + version + ".pem");
        String fullOnB = SClient.connect(portB[0], version, HOST, null, second);
        assertTrue(SClient.fresh(fullOnB, version), fullOnB);
        assertNotEquals(sealedBy, ticketKeyName(second), "B still seals with the key before the rotation");
        String onA = SClient.connect(portA[0], version, HOST, second, null);
        assertTrue(SClient.reused(onA, version), "A did not resume B's ticket of the new key: " + onA);
    }

    private static TicketKeeperOptions fleet(RedisServer redis, SealingKey wrapping) {
        return TicketKeeperOptions.builder().keySource(FleetKeySource.builder(redis.uri(), List.of(wrapping))
                .rotateEvery(Duration.ofSeconds(3)).maxTicketAge(Duration.ofSeconds(30))
                .pollEvery(Duration.ofMillis(300)).build()).build();
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aServerOnAKeyFileResumesAndAfterTheFileChangesOpensOldTicketsAndSealsWithTheNewKey(TlsVersion version)
            throws Exception {
        Path file = folder.resolve("ticket-" + version + ".key");
        byte[] oldKey = randomKey(file);
        int[] port = new int[1];
        NettyTicketKeys keys = serve(TicketKeeperOptions.builder().keySource(KeyFiles.builder(KeyFileFormat.NGINX,
                List.of(file)).checkInterval(Duration.ofHours(1)).build()).build(), port);

        Path before = folder.resolve("file-before-" + version + ".pem");
        String full = SClient.connect(port[0], version, HOST, null, before);
        assertTrue(SClient.fresh(full, version) && full.contains("ok " + HOST), full);
        assertEquals(nameOf(oldKey), ticketKeyName(before));
        String again = SClient.connect(port[0], version, HOST, before, null);
        assertTrue(SClient.reused(again, version), again);

        byte[] newKey = randomKey(file);
        keys.handle().refreshKeys();
        assertEquals(2, keys.handle().keys().size(), "the old key left the ring: " + keys.handle().keys());
        String old = SClient.connect(port[0], version, HOST, before, null);
        assertTrue(SClient.reused(old, version), "the old key's ticket did not resume: " + old);
        // (s_client saves no session after a TLS 1.2 resumption, so the new key is seen on a new session.)
        Path after = folder.resolve("file-after-" + version + ".pem");
        String fresh = SClient.connect(port[0], version, HOST, null, after);
        assertTrue(SClient.fresh(fresh, version), fresh);
        assertEquals(nameOf(newKey), ticketKeyName(after), "a new ticket is not sealed by the new key");
        String resumed = SClient.connect(port[0], version, HOST, after, null);
        assertTrue(SClient.reused(resumed, version), resumed);
    }

    @Test
    void aTicketOfAnotherRingGetsAFullHandshake() throws Exception {
        Path file = folder.resolve("one.key");
        randomKey(file);
        int[] one = new int[1];
        int[] other = new int[1];
        serve(TicketKeeperOptions.builder().keySource(KeyFiles.of(KeyFileFormat.NGINX, file)).build(), one);
        serve(TicketKeeperOptions.defaults(), other);
        for (TlsVersion version : TlsVersion.values()) {
            Path session = folder.resolve("one-" + version + ".pem");
            assertTrue(SClient.fresh(SClient.connect(one[0], version, HOST, null, session), version));
            String crossed = SClient.connect(other[0], version, HOST, session, null);
            assertTrue(SClient.fresh(crossed, version), "a ticket of another ring resumed: " + crossed);
        }
    }

    /** Writes a fresh 80-byte key (name|HMAC|AES) to {@code file} and returns it. */
    private static byte[] randomKey(Path file) throws IOException {
        byte[] key = new byte[80];
        new SecureRandom().nextBytes(key);
        Files.write(file, key);
        return key;
    }

    private static String nameOf(byte[] key) {
        return HEX.formatHex(key, 0, 16);
    }

    /** The name of the key that seals now on {@code keys}' server, as TicketKeeper's ring says. */
    private static String sealingName(NettyTicketKeys keys) {
        KeySnapshot snapshot = keys.handle().keys();
        long now = System.currentTimeMillis();
        for (int slot = 0; slot < snapshot.size(); slot++) {
            if (snapshot.seals(slot, now)) {
                return HEX.formatHex(snapshot.key(slot).name());
            }
        }
        throw new AssertionError("no key seals now: " + snapshot);
    }

    private static List<String> names(NettyTicketKeys keys) {
        return keys.handle().keys().keys().stream().map(key -> HEX.formatHex(key.name())).toList();
    }

    /** The first 16 bytes of the session's ticket: the name of the key that sealed it. */
    private static String ticketKeyName(Path session) throws Exception {
        Process process = new ProcessBuilder("openssl", "sess_id", "-in", session.toString(), "-noout", "-text")
                .redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, text);
        StringBuilder hex = new StringBuilder();
        boolean inTicket = false;
        for (String line : text.split("\n")) {
            if (line.contains("TLS session ticket:")) {
                inTicket = true;
            } else if (inTicket && line.matches("\\s*[0-9a-f]{4} - .*")) {
                String bytes = line.replaceFirst("\\s*[0-9a-f]{4} - ", "");
                hex.append(bytes.substring(0, Math.min(bytes.length(), 48)).replaceAll("[^0-9a-f]", ""));
            } else if (inTicket) {
                break;
            }
        }
        assertTrue(hex.length() >= 32, "no ticket in the session: " + text);
        return hex.substring(0, 32);
    }
}

package io.ticketkeeper.harness;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.KeyEvent;
import io.ticketkeeper.KeyFileException;
import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ClientSession;
import io.ticketkeeper.endpoints.HandshakeResult;
import io.ticketkeeper.endpoints.ManualClock;
import io.ticketkeeper.endpoints.MemoryHandshake;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files: layouts, several files, reload, and every bad file, with real handshakes. */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class KeyFilesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static SelfSignedCertificate certificate;

    @TempDir
    Path directory;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.create("keyfiles");
    }

    @AfterAll
    static void freeCertificate() {
        certificate.close();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = directory.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] name(byte[] key) {
        return Arrays.copyOf(key, 16);
    }

    /** A TicketKeeper server reading {@code files} with a manual clock, its client, and the events it records. */
    private static final class Server implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final List<KeyEvent> events = new CopyOnWriteArrayList<>();
        final ServerContext context;
        final ClientContext client;
        final TicketKeeperHandle handle;

        Server(KeyFiles files) {
            context = ServerContext.builder(TlsVersion.TLS1_2, certificate).build();
            client = new ClientContext(TlsVersion.TLS1_2, certificate);
            try {
                handle = TicketKeeper.install(context.address(), TicketKeeperOptions.builder().clock(clock)
                        .keySource(files).keyEventListener(events::add).build());
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        HandshakeResult handshake(ClientSession offer) {
            return MemoryHandshake.run(context, client, offer);
        }

        @Override
        public void close() {
            if (handle != null) {
                handle.close();
            }
            client.close();
            context.close();
        }
    }

    /** The 80-byte layout is OpenSSL's own: a ticket sealed by OpenSSL's built-in keys resumes on TicketKeeper. */
    @Test
    void theEightyByteLayoutIsOpenSslsOwn() throws IOException {
        byte[] key = random(80);
        Path file = write("openssl.key", key);
        try (ServerContext plain = ServerContext.builder(TlsVersion.TLS1_2, certificate).build();
                Server server = new Server(KeyFiles.of(KeyFileFormat.OPENSSL_80, file))) {
            assertEquals(1, SSL.SSL_CTX_set_tlsext_ticket_keys(plain.address(), key));
            try (HandshakeResult fromOpenSsl = MemoryHandshake.run(plain, server.client, null);
                    HandshakeResult onTicketKeeper = server.handshake(fromOpenSsl.session())) {
                assertArrayEquals(name(key), Arrays.copyOf(fromOpenSsl.session().ticket(), 16));
                assertTrue(onTicketKeeper.resumed(), "OpenSSL's ticket did not resume under the same 80 bytes");
            }
            try (HandshakeResult fromTicketKeeper = server.handshake(null);
                    HandshakeResult onOpenSsl = MemoryHandshake.run(plain, server.client, fromTicketKeeper.session())) {
                assertTrue(onOpenSsl.resumed(), "TicketKeeper's ticket did not resume on OpenSSL's built-in keys");
            }
        }
    }

    /** The 48-byte layouts differ only in the order of the secrets: read in the wrong layout, nothing resumes. */
    @Test
    void fortyEightByteLayoutsAreTheirOwn() throws IOException {
        byte[] key = random(48);
        Path file = write("k48.key", key);
        try (Server nginx = new Server(KeyFiles.of(KeyFileFormat.NGINX_48, file));
                Server apache = new Server(KeyFiles.of(KeyFileFormat.OPENSSL_48, file));
                Server sameAsNginx = new Server(KeyFiles.of(KeyFileFormat.NGINX, file));
                HandshakeResult fromNginx = nginx.handshake(null);
                HandshakeResult onApache = apache.handshake(fromNginx.session());
                HandshakeResult onNginxAgain = sameAsNginx.handshake(fromNginx.session())) {
            assertEquals(16, nginx.handle.keys().key(0).aesKeyLength(), "48 bytes mean AES-128");
            assertTrue(onApache.completed(), onApache::toString);
            assertTrue(!onApache.resumed(), "name|AES|HMAC read as name|HMAC|AES must not open the ticket");
            assertTrue(onNginxAgain.resumed());
        }
    }

    @Test
    void haproxyUsesTheLastThreeLinesAndTheSecondToLastSeals() throws IOException {
        byte[][] keys = {random(80), random(80), random(80), random(80)};
        StringBuilder lines = new StringBuilder();
        for (byte[] key : keys) {
            lines.append(Base64.getEncoder().encodeToString(key)).append('\n');
        }
        Path file = write("haproxy.keys", lines.toString().getBytes(StandardCharsets.US_ASCII));
        try (Server server = new Server(KeyFiles.of(KeyFileFormat.HAPROXY, file));
                HandshakeResult sealed = server.handshake(null)) {
            assertEquals(3, server.handle.keys().size());
            assertArrayEquals(name(keys[2]), Arrays.copyOf(sealed.session().ticket(), 16));
        }
        Path tooFew = write("few.keys", (Base64.getEncoder().encodeToString(keys[0]) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        KeyFileException few = assertThrows(KeyFileException.class, () -> KeyFiles.of(KeyFileFormat.HAPROXY, tooFew).read());
        assertTrue(few.getMessage().contains(tooFew + ": 1 keys, HAProxy's format needs at least 3"), few.getMessage());
        Path notBase64 = write("bad.keys", "not base64!\n".getBytes(StandardCharsets.US_ASCII));
        KeyFileException bad = assertThrows(KeyFileException.class, () -> KeyFiles.of(KeyFileFormat.HAPROXY, notBase64).read());
        assertTrue(bad.getMessage().contains("line 1 is not base64"), bad.getMessage());
    }

    @Test
    void eachBadFileIsRefusedWithItsNameAndReason() throws IOException {
        Path good = write("good.key", random(80));
        Path shortFile = write("short.key", random(79));
        Path missing = directory.resolve("missing.key");
        Path unreadable = Files.createDirectory(directory.resolve("a-directory.key"));
        byte[] zeroSecret = random(80);
        Arrays.fill(zeroSecret, 16, 48, (byte) 0);
        Path allZeroHmac = write("zero-hmac.key", zeroSecret);
        Path allZero = write("zero.key", new byte[80]);
        Path duplicate = write("copy.key", Files.readAllBytes(good));

        assertBad(KeyFiles.of(KeyFileFormat.OPENSSL_80, shortFile), shortFile, "79 bytes, expected 80 (name|HMAC|AES");
        assertBad(KeyFiles.of(KeyFileFormat.NGINX, shortFile), shortFile, "79 bytes, expected 80");
        assertBad(KeyFiles.of(KeyFileFormat.OPENSSL_80, good, missing), missing, "unreadable: no such file");
        assertBad(KeyFiles.of(KeyFileFormat.OPENSSL_80, unreadable), unreadable, "unreadable");
        assertBad(KeyFiles.of(KeyFileFormat.OPENSSL_80, allZeroHmac), allZeroHmac, "HMAC key is all zero");
        assertBad(KeyFiles.of(KeyFileFormat.OPENSSL_80, allZero), allZero, "all zero");
        assertBad(KeyFiles.of(KeyFileFormat.OPENSSL_80, good, duplicate), duplicate,
                "duplicate key: TicketKey{name=");
        KeyFileException dup = assertThrows(KeyFileException.class,
                () -> KeyFiles.of(KeyFileFormat.OPENSSL_80, good, duplicate).read());
        assertTrue(dup.getMessage().contains("as a key in " + good), dup.getMessage());
    }

    /**
     * Weak keys (issue 18, item 12): a key file of the repeated DEADBEEF pattern (one of TLS-Scanner's default
     * keys, which it then decrypts every ticket with), a low-entropy secret, a counting one and a known default key
     * are refused at install and at reload, the message naming the file and the reason but not the bytes.
     */
    @Test
    void weakKeyFilesAreRefusedWithTheFileAndTheReason() throws IOException {
        byte[] deadbeef = new byte[80];
        for (int i = 0; i < deadbeef.length; i++) {
            deadbeef[i] = (byte) new int[] {0xde, 0xad, 0xbe, 0xef}[i % 4];
        }
        Path pattern = write("deadbeef.key", deadbeef);
        byte[] lowEntropy = random(80);
        java.util.Random fewValues = new java.util.Random(5);
        for (int i = 48; i < 80; i++) {
            lowEntropy[i] = (byte) fewValues.nextInt(5);
        }
        Path fewBytes = write("low-entropy.key", lowEntropy);
        byte[] counting = random(80);
        for (int i = 16; i < 48; i++) {
            counting[i] = (byte) (i * 0x11);
        }
        Path countingHmac = write("counting.key", counting);
        byte[] fips = random(48);
        System.arraycopy(java.util.HexFormat.of().parseHex("2b7e151628aed2a6abf7158809cf4f3c"), 0, fips, 16, 16);
        Path knownDefault = write("fips197.key", fips);

        assertBad(KeyFiles.of(KeyFileFormat.OPENSSL_80, pattern), pattern, "HMAC key repeats a pattern of 4 bytes");
        assertBad(KeyFiles.of(KeyFileFormat.OPENSSL_80, fewBytes), fewBytes,
                "AES key has very low entropy (only ");
        assertBad(KeyFiles.of(KeyFileFormat.OPENSSL_80, countingHmac), countingHmac, "HMAC key is a counting sequence");
        assertBad(KeyFiles.of(KeyFileFormat.NGINX, knownDefault), knownDefault,
                "AES key is a known default session ticket key");
        KeyFileException read = assertThrows(KeyFileException.class,
                () -> KeyFiles.of(KeyFileFormat.OPENSSL_80, pattern).read());
        assertFalse(read.getMessage().toLowerCase(java.util.Locale.ROOT).contains("deadbeefdeadbeef"), read.getMessage());
    }

    private static void assertBad(KeyFiles files, Path file, String reason) {
        KeyFileException read = assertThrows(KeyFileException.class, files::read);
        assertEquals(file, read.file());
        assertTrue(read.getMessage().startsWith("ticket key file " + file + ": "), read.getMessage());
        assertTrue(read.reason().contains(reason), read.getMessage());
        // At install a bad file fails the install: there is no previous ring to keep.
        KeyFileException install = assertThrows(KeyFileException.class, () -> new Server(files).close());
        assertEquals(file, install.file());
    }

    /** Reload on change: the new key seals, the removed one still opens tickets in flight; a bad file changes nothing. */
    @Test
    void reloadKeepsInFlightTicketsAndABadFileKeepsTheRingInForce() throws IOException {
        byte[] first = random(80);
        Path file = write("ticket.key", first);
        KeyFiles files = KeyFiles.builder(KeyFileFormat.OPENSSL_80, List.of(file))
                .retainRemovedFor(Duration.ofHours(1)).build();
        try (Server server = new Server(files);
                HandshakeResult underFirst = server.handshake(null)) {
            long generation = server.handle.keys().generation();
            server.handle.refreshKeys();
            assertEquals(generation, server.handle.keys().generation(), "an unchanged file must not republish");

            byte[] second = random(80);
            Files.write(file, second);
            server.handle.refreshKeys();
            try (HandshakeResult fresh = server.handshake(null);
                    HandshakeResult inFlight = server.handshake(underFirst.session())) {
                assertArrayEquals(name(second), Arrays.copyOf(fresh.session().ticket(), 16), "the new key must seal");
                assertTrue(inFlight.resumed(), "a ticket under the replaced key was dropped on reload");
                assertArrayEquals(name(second), Arrays.copyOf(inFlight.session().ticket(), 16), "not renewed");
            }

            Files.write(file, random(81));
            KeyFileException failure = assertThrows(KeyFileException.class, server.handle::refreshKeys);
            assertTrue(failure.getMessage().contains(file + ": 81 bytes, expected 80"), failure.getMessage());
            assertEquals(1, server.handle.keyRingStats().loadFailures());
            assertTrue(server.events.stream().anyMatch(e -> e.type() == KeyEvent.Type.LOAD_FAILED
                    && e.detail().contains("81 bytes")), server.events::toString);
            assertThrows(KeyFileException.class, server.handle::refreshKeys);
            assertEquals(2, server.handle.keyRingStats().loadFailures(), "every failed refresh counts");
            assertEquals(1, server.events.stream().filter(e -> e.type() == KeyEvent.Type.LOAD_FAILED).count(),
                    "a failure that persists is reported once");
            try (HandshakeResult stillUnderSecond = server.handshake(null)) {
                assertArrayEquals(name(second), Arrays.copyOf(stillUnderSecond.session().ticket(), 16),
                        "the previous ring must stay in force");
            }

            server.clock.advance(Duration.ofHours(1));
            Files.write(file, second);
            server.handle.refreshKeys();
            assertEquals(1, server.handle.keys().size(), "the replaced key outlived retainRemovedFor");
            try (HandshakeResult tooLate = server.handshake(underFirst.session())) {
                assertTrue(!tooLate.resumed(), "a key past retainRemovedFor still opened tickets");
            }
        }
    }

    /** One KeyFiles for several contexts (virtual hosts): each handle loads the keys and they share tickets. */
    @Test
    void handlesShareOneKeyFilesSource() throws IOException {
        KeyFiles files = KeyFiles.of(KeyFileFormat.OPENSSL_80, write("shared.key", random(80)));
        try (Server one = new Server(files);
                Server two = new Server(files);
                HandshakeResult fromOne = one.handshake(null);
                HandshakeResult onTwo = two.handshake(fromOne.session())) {
            assertEquals(1, two.handle.keys().size());
            assertTrue(onTwo.resumed(), "a ticket from one context did not resume on the other");
            long generation = two.handle.keys().generation();
            two.handle.refreshKeys();
            assertEquals(generation, two.handle.keys().generation(), "an unchanged file must not republish");
        }
    }

    @Test
    void keyMaterialIsNotInTheMessages() throws IOException {
        byte[] key = random(80);
        Path file = write("dup.key", key);
        KeyFileException dup = assertThrows(KeyFileException.class,
                () -> KeyFiles.of(KeyFileFormat.OPENSSL_80, file, file).read());
        String hex = java.util.HexFormat.of().formatHex(key, 16, 80);
        assertTrue(!dup.getMessage().contains(hex.substring(0, 16)), dup.getMessage());
        TicketKey read = KeyFiles.of(KeyFileFormat.OPENSSL_80, file).read().get(0);
        assertArrayEquals(name(key), read.name());
        read.destroy();
    }
}

package io.ticketkeeper.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ticketkeeper.attacks.AttackClient.Version;
import io.ticketkeeper.attacks.Answer.Kind;
import io.ticketkeeper.attacks.Tickets.Key;
import io.ticketkeeper.harness.NginxServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The session ticket attacks of the scanners of the 2023 study (Hebrok et al., "We Really Need to Talk About
 * Session Tickets", USENIX Security 2023), with TLS-Attacker, over TLS 1.2 (the SessionTicket extension) and TLS 1.3
 * (the PSK identity) - in both a ticket is the RFC 5077 layout that TicketKeeper's keys seal - against {@code serve}
 * on the FFM backend, {@code serve} on the JNA backend, and nginx with the same key file as the reference. Each
 * attack must get a full handshake or a clean alert: never a resumption, never a crash, never an answer that tells
 * one kind of bad ticket from another. Each attack also has a control that must resume, so a harness that simply
 * never resumes fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TicketAttackTest {
    private Path directory;
    private Key key;
    private Target.Serve serveFfm;
    private Target.Serve serveJna;
    private Target.Nginx nginx;
    /** Another host ("b.test"): serve with the same key file, another session id context. */
    private Target.Serve otherHost;
    private final List<Target> targets = new ArrayList<>();
    /** Per target and attack: how many probes got which answer, for the report. */
    private final Map<String, Map<String, Map<Kind, Integer>>> tally = new LinkedHashMap<>();
    /** Per target and attack: the distinct message sequences answered, for the report. */
    private final Map<String, Set<List<String>>> sequences = new LinkedHashMap<>();
    /**
     * Per serve: probes whose ticket its key opens and that OpenSSL then refuses after TicketKeeper's policy said
     * USE: cross-host tickets (the key file is shared; the session id context differs) and TLS 1.3 wrong binders.
     */
    private final Map<String, Integer> openedButRefused = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(NginxServer.available(), "nginx is not installed (/usr/sbin/nginx)");
        directory = Files.createTempDirectory("ticketkeeper-attacks");
        Path keyFile = directory.resolve("ticket.key");
        key = Key.of(Tickets.random(80));
        Files.write(keyFile, key.file());
        List<Target> started = Target.startAll(
                () -> Target.Serve.start("serve-ffm", false, directory, "--key-file", keyFile.toString()),
                () -> Target.Serve.start("serve-jna", true, directory, "--key-file", keyFile.toString()),
                () -> Target.Nginx.start("nginx", directory, keyFile, Duration.ofHours(1)),
                () -> Target.Serve.start("serve-b.test", false, directory, "--key-file", keyFile.toString(),
                        "--session-id-context", "0b0b0b0b0b0b0b0b"));
        serveFfm = (Target.Serve) started.get(0);
        serveJna = (Target.Serve) started.get(1);
        nginx = (Target.Nginx) started.get(2);
        otherHost = (Target.Serve) started.get(3);
        targets.addAll(List.of(serveFfm, serveJna, nginx));
    }

    Stream<Arguments> targetsAndVersions() {
        return Stream.of(Version.values()).flatMap(version -> targets.stream().map(t -> Arguments.of(t, version)));
    }

    @AfterEach
    void everyServerStillRuns() {
        for (Target target : targets) {
            assertTrue(target.alive(), target + " died: " + target.log());
        }
    }

    @AfterAll
    void stop() throws Exception {
        List<String> problems = new ArrayList<>();
        try {
            for (Target target : targets) {
                // After every attack: still there, and a normal full handshake still completes with a ticket.
                assertTrue(target.alive(), target + " died: " + target.log());
                target.client().fullHandshake();
            }
        } finally {
            report();
            for (Target target : Arrays.asList(serveFfm, serveJna, nginx, otherHost)) {
                if (target != null) {
                    target.close();
                }
            }
            deleteOnExit(directory);
            // serve's own count (its summary on SIGTERM) against what this client saw. Every resumption the client
            // saw is counted; beyond those serve may count only the probes its key opens and OpenSSL refuses after
            // the policy said USE: cross-host tickets under the shared key file (refused for the session id
            // context: a full handshake) and TLS 1.3 wrong binders (an alert). serve counts a ticket as resumed
            // when its policy says USE. No other attack probe may get as far as USE.
            for (Target.Serve serve : Arrays.asList(serveFfm, serveJna, otherHost)) {
                if (serve != null) {
                    long seen = seenResumed(serve.name());
                    long opened = openedButRefused.getOrDefault(serve.name(), 0);
                    long counted = serve.ticketsResumed();
                    System.out.println(serve + " | serve's count of resumed tickets | " + counted + " | client saw "
                            + seen + " resumptions, sent " + opened + " tickets it opens that OpenSSL refuses");
                    if (counted < seen || counted > seen + opened) {
                        problems.add(serve + " counted " + counted + " resumed tickets; the client saw " + seen
                                + " resumptions and sent " + opened + " tickets it opens that OpenSSL refuses");
                    }
                    // TicketKeeper aborted nothing and no upcall failed (the wrong binders' alerts are OpenSSL's).
                    if (serve.abortedAndErrors() != 0) {
                        problems.add(serve + " aborted handshakes or counted errors: " + serve.log().lines()
                                .filter(line -> line.contains("stopped;")).findFirst().orElse("?"));
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("; ", problems));
    }

    /** The key files, logs and nginx prefixes go when the JVM does (the summaries are read before). */
    static void deleteOnExit(Path directory) {
        if (directory == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (java.io.IOException e) {
                System.err.println("could not delete " + directory + ": " + e);
            }
        }));
    }

    private long seenResumed(String target) {
        return tally.getOrDefault(target, Map.of()).values().stream()
                .mapToLong(kinds -> kinds.getOrDefault(Kind.RESUMED, 0)).sum();
    }

    /** The controls: the real ticket resumes, again, and re-sealed by the test under the server's own key. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndVersions")
    void controlsResume(Target target, Version version) throws Exception {
        AttackClient client = target.client(version);
        String v = version == Version.TLS1_3 ? "TLS 1.3 " : "";
        AttackClient.Issued issued = client.fullHandshake();
        assertEquals(0, Tickets.ciphertextLength(issued.ticket()) % Tickets.BLOCK, "not the RFC 5077 layout");
        assertTrue(Arrays.equals(key.name(), Tickets.name(issued.ticket())),
                target + " sealed its ticket under another key name than the key file's");
        expect(target, v + "control: the ticket as issued", Kind.RESUMED, client.offer(issued.ticket(), Kind.RESUMED));
        expect(target, v + "control: the ticket as issued", Kind.RESUMED, client.offer(issued.ticket(), Kind.RESUMED));
        byte[] session = Tickets.open(key, issued.ticket());
        expect(target, v + "control: re-sealed under the server's key", Kind.RESUMED,
                client.offer(Tickets.seal(key, session), Kind.RESUMED));
        expect(target, v + "control: no ticket offered", Kind.FULL_HANDSHAKE,
                client.offer(new byte[0], Kind.FULL_HANDSHAKE));
        if (version == Version.TLS1_3) {
            // The real ticket with a binder that does not match its PSK: a clean refusal (OpenSSL's alert is
            // illegal_parameter), never a resumption.
            openedButRefused.merge(target.name(), 1, Integer::sum);
            expect(target, v + "wrong binder: the ticket as issued, another PSK", Kind.ALERT,
                    client.offerWithWrongBinder(issued.ticket()));
        }
    }

    /**
     * One bit flipped in every byte of the key name and the IV, in every byte of the first, a middle and the last
     * ciphertext block, and in each of the MAC's 32 bytes (TLS 1.3: in every 5th byte and the last of the 16-byte
     * parts, and in each MAC byte): a full handshake every time, all alike.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndVersions")
    void bitFlipsInEveryPartOfTheTicket(Target target, Version version) throws Exception {
        AttackClient client = target.client(version);
        String v = version == Version.TLS1_3 ? "TLS 1.3 " : "";
        byte[] ticket = client.fullHandshake().ticket();
        int ciphertext = Tickets.NAME + Tickets.IV;
        int blocks = Tickets.ciphertextLength(ticket) / Tickets.BLOCK;
        assertTrue(blocks >= 3, "a ticket of " + blocks + " blocks");
        Map<String, int[]> parts = new LinkedHashMap<>();
        // TLS 1.2: every byte of every part. TLS 1.3 (the same tls_decrypt_ticket opens its tickets; a probe costs
        // a key exchange in TLS-Attacker's Java crypto): every 5th byte of the 16-byte parts, every MAC byte.
        int stride = version == Version.TLS1_3 ? 5 : 1;
        parts.put("key name", range(0, Tickets.NAME, stride));
        parts.put("IV", range(Tickets.NAME, Tickets.IV, stride));
        parts.put("ciphertext, first block", range(ciphertext, Tickets.BLOCK, stride));
        parts.put("ciphertext, middle block", range(ciphertext + blocks / 2 * Tickets.BLOCK, Tickets.BLOCK, stride));
        parts.put("ciphertext, last block", range(ciphertext + (blocks - 1) * Tickets.BLOCK, Tickets.BLOCK, stride));
        parts.put("MAC", range(ticket.length - Tickets.MAC, Tickets.MAC, 1));
        Set<List<String>> shapes = new LinkedHashSet<>();
        for (Map.Entry<String, int[]> part : parts.entrySet()) {
            for (int index : part.getValue()) {
                Answer answer = client.offer(Tickets.flip(ticket, index, index % 8), Kind.FULL_HANDSHAKE);
                expect(target, v + "bit flip: " + part.getKey(), Kind.FULL_HANDSHAKE, answer);
                shapes.add(answer.messages());
            }
        }
        assertEquals(1, shapes.size(), target + " answered bit flips in different ways: " + shapes);
        expect(target, v + "control: the ticket as issued", Kind.RESUMED, client.offer(ticket, Kind.RESUMED));
    }

    /**
     * CBC padding-oracle probes. Four classes of N tickets each (24; TLS 1.3: 12): (a) the scanner's probe, the last
     * byte of the next-to-last ciphertext block changed so that the last plaintext block's padding breaks (MAC left
     * stale); (b) bad MAC over an intact ciphertext; and, with the key in hand (white box), (c) a valid MAC over a
     * ciphertext whose padding is bad and (d) a valid MAC and valid padding over a plaintext that is no session.
     * OpenSSL's
     * tls_decrypt_ticket compares the HMAC (CRYPTO_memcmp) before it decrypts anything, and TicketKeeper's shim only
     * hands OpenSSL the keys from its ticket key callback (it never decrypts a ticket itself), so (a) and (b) never
     * reach the padding. (c) and (d) do reach decryption, and get the same answer as (a) and (b): so even a reached
     * padding check says nothing. The proof on our path is that all 4N answers are the same message sequence, and
     * all full handshakes.
     *
     * Timing: the median probe time per class is reported, never asserted. A loopback probe through TLS-Attacker
     * takes tens of milliseconds, and a MAC-then-padding difference would be around a microsecond: no bound that a
     * busy 2-core machine keeps would mean anything (timing claims live in JMH, see DESIGN.md).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndVersions")
    void noPaddingOracle(Target target, Version version) throws Exception {
        int n = version == Version.TLS1_3 ? 12 : 24;
        AttackClient client = target.client(version);
        String v = version == Version.TLS1_3 ? "TLS 1.3 " : "";
        byte[] ticket = client.fullHandshake().ticket();
        byte[] session = Tickets.open(key, ticket);
        int lastByteOfNextToLastBlock = ticket.length - Tickets.MAC - Tickets.BLOCK - 1;
        Map<String, List<Answer>> classes = new LinkedHashMap<>();
        for (int k = 1; k <= n; k++) {
            classes.computeIfAbsent(v + "padding oracle: bad padding, stale MAC", c -> new ArrayList<>())
                    .add(client.offer(Tickets.xor(ticket, lastByteOfNextToLastBlock, k), Kind.FULL_HANDSHAKE));
            classes.computeIfAbsent(v + "padding oracle: bad MAC, intact ciphertext", c -> new ArrayList<>())
                    .add(client.offer(Tickets.xor(ticket, ticket.length - 1 - (k % Tickets.MAC), k),
                            Kind.FULL_HANDSHAKE));
            byte[] padded = pkcs7(session);
            padded[padded.length - 1] = (byte) (Tickets.BLOCK + k); // 17..: never valid PKCS#7
            classes.computeIfAbsent(v + "padding oracle: valid MAC, bad padding (white box)", c -> new ArrayList<>())
                    .add(client.offer(Tickets.sealRaw(key, padded), Kind.FULL_HANDSHAKE));
            classes.computeIfAbsent(v + "padding oracle: valid MAC, valid padding, no session (white box)",
                    c -> new ArrayList<>()).add(client.offer(Tickets.seal(key, Tickets.random(session.length)),
                            Kind.FULL_HANDSHAKE));
        }
        Set<List<String>> shapes = new LinkedHashSet<>();
        StringBuilder timing = new StringBuilder(target + " " + version + " median probe time:");
        for (Map.Entry<String, List<Answer>> probes : classes.entrySet()) {
            for (Answer answer : probes.getValue()) {
                expect(target, probes.getKey(), Kind.FULL_HANDSHAKE, answer);
                shapes.add(answer.messages());
            }
            long[] nanos = probes.getValue().stream().mapToLong(Answer::nanos).sorted().toArray();
            timing.append(String.format(" %s %.1f ms;", probes.getKey().replaceFirst(".*padding oracle: ", ""),
                    nanos[nanos.length / 2] / 1e6));
        }
        System.out.println(timing);
        assertEquals(1, shapes.size(), target + " answers bad padding and bad MAC differently: " + shapes);
        expect(target, v + "control: the ticket as issued", Kind.RESUMED, client.offer(ticket, Kind.RESUMED));
    }

    private static byte[] pkcs7(byte[] plaintext) {
        int pad = Tickets.BLOCK - plaintext.length % Tickets.BLOCK;
        byte[] padded = Arrays.copyOf(plaintext, plaintext.length + pad);
        Arrays.fill(padded, plaintext.length, padded.length, (byte) pad);
        return padded;
    }

    /**
     * The real session of a real ticket, sealed again under keys the server does not hold: all-zero, the repeated
     * DEADBEEF pattern, all-0xFF and 00 01 02 ... (the weak and default keys of the 2023 study's list), each once
     * under its own key name and once under the server's key name. Sealed under the server's own key the same session
     * resumes (the control in {@link #controlsResume}); under these, a full handshake.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndVersions")
    void ticketsUnderDefaultKeys(Target target, Version version) throws Exception {
        AttackClient client = target.client(version);
        String v = version == Version.TLS1_3 ? "TLS 1.3 " : "";
        byte[] ticket = client.fullHandshake().ticket();
        byte[] session = Tickets.open(key, ticket);
        byte[] ascending = new byte[80];
        for (int i = 0; i < ascending.length; i++) {
            ascending[i] = (byte) i;
        }
        Map<String, Key> defaults = new LinkedHashMap<>();
        defaults.put("all-zero", Key.repeating((byte) 0));
        defaults.put("DEADBEEF", Key.repeating((byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF));
        defaults.put("all-0xFF", Key.repeating((byte) 0xFF));
        defaults.put("00 01 02 ...", Key.of(ascending));
        for (Map.Entry<String, Key> weak : defaults.entrySet()) {
            expect(target, v + "default key: " + weak.getKey() + " key", Kind.FULL_HANDSHAKE,
                    client.offer(Tickets.seal(weak.getValue(), session), Kind.FULL_HANDSHAKE));
            expect(target, v + "default key: " + weak.getKey() + " key under the server's key name",
                    Kind.FULL_HANDSHAKE, client.offer(Tickets.seal(weak.getValue().withName(key.name()), session),
                            Kind.FULL_HANDSHAKE));
        }
        expect(target, v + "control: re-sealed under the server's key", Kind.RESUMED,
                client.offer(Tickets.seal(key, session), Kind.RESUMED));
    }

    /**
     * The positive control of the default-key attack, the scanner's own: a server that holds the DEADBEEF key (nginx
     * takes any key file) seals its tickets under it, so they open under the public key, and a session the attacker
     * seals under it resumes. serve refusing such a key file at all is issue 18 item 12's; here nginx shows the
     * attack has teeth.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Version.class)
    void defaultKeyAttackFindsAServerThatHoldsOne(Version version) throws Exception {
        String v = version == Version.TLS1_3 ? "TLS 1.3 " : "";
        Key deadbeef = Key.repeating((byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF);
        Path keyFile = directory.resolve("deadbeef-" + version + ".key");
        Files.write(keyFile, deadbeef.file());
        Target.Nginx weak = Target.Nginx.start("nginx-deadbeef-" + version, directory, keyFile, Duration.ofHours(1));
        try {
            AttackClient client = weak.client(version);
            byte[] ticket = client.fullHandshake().ticket();
            byte[] session = Tickets.open(deadbeef, ticket); // the scanner's finding: it opens under a public key
            expect(weak, v + "positive control: a session sealed under DEADBEEF at a server holding it",
                    Kind.RESUMED, client.offer(Tickets.seal(deadbeef, session), Kind.RESUMED));
        } finally {
            weak.close();
        }
    }

    /**
     * Truncated tickets (empty, shorter than a key name, a key name alone, shorter than one ciphertext block, the MAC
     * cut off, one byte short) and oversized ones (the ticket with 4 KiB appended, 4 KiB and 60 KiB of random bytes
     * behind the server's key name): a full handshake or a clean alert.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndVersions")
    void truncatedAndOversizedTickets(Target target, Version version) throws Exception {
        AttackClient client = target.client(version);
        String v = version == Version.TLS1_3 ? "TLS 1.3 " : "";
        byte[] ticket = client.fullHandshake().ticket();
        for (int length : new int[] {1, 8, 15, 16, 20, 31, 32, 40, 47, 48, 64, ticket.length - Tickets.MAC,
                ticket.length - 17, ticket.length - 1}) {
            safe(target, v + "truncated ticket", client.offer(Arrays.copyOf(ticket, length), Kind.FULL_HANDSHAKE));
        }
        safe(target, v + "oversized: the ticket + 4 KiB",
                client.offer(Tickets.concat(ticket, Tickets.random(4096)), Kind.FULL_HANDSHAKE));
        safe(target, v + "oversized: the ticket + 1 byte",
                client.offer(Tickets.concat(ticket, new byte[1]), Kind.FULL_HANDSHAKE));
        for (int length : new int[] {4096, 60 * 1024}) {
            safe(target, v + "oversized: " + length / 1024 + " KiB under the server's key name",
                    client.offer(Tickets.concat(key.name(), Tickets.random(length - Tickets.NAME)),
                            Kind.FULL_HANDSHAKE));
        }
        expect(target, v + "control: the ticket as issued", Kind.RESUMED, client.offer(ticket, Kind.RESUMED));
    }

    private void safe(Target target, String attack, Answer answer) {
        count(target, attack, answer);
        if (!answer.safe()) {
            fail(target + ", " + attack + ": expected a full handshake or an alert, got " + answer + "\n"
                    + tail(target.log()));
        }
    }

    /**
     * A ticket of one host presented to another. serve has one host per process, so host b.test is another serve
     * with the same key file (a shared STEK, the setting of "STEK Sharing is Not Caring") and another session id
     * context; nginx, with the same key file too, is a third host. Across hosts: a full handshake. The control: the
     * same ticket resumes on its own host, and on serve-jna, a server of the same host (same key file, same session
     * id context) - so the key opens it everywhere and the refusal is the host binding's.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Version.class)
    void ticketReplayedAcrossHosts(Version version) throws Exception {
        String v = version == Version.TLS1_3 ? "TLS 1.3 " : "";
        AttackClient ffm = serveFfm.client(version);
        byte[] ffmTicket = ffm.fullHandshake().ticket();
        expect(serveFfm, v + "control: the ticket as issued", Kind.RESUMED, ffm.offer(ffmTicket, Kind.RESUMED));
        openedButRefused.merge(otherHost.name(), 1, Integer::sum);
        expect(otherHost, v + "cross-host: serve-ffm's ticket at b.test", Kind.FULL_HANDSHAKE,
                ffm.toPort(otherHost.port()).offer(ffmTicket, Kind.FULL_HANDSHAKE));
        expect(nginx, v + "cross-host: serve-ffm's ticket at nginx", Kind.FULL_HANDSHAKE,
                ffm.toPort(nginx.port()).offer(ffmTicket, Kind.FULL_HANDSHAKE));
        AttackClient fromNginx = nginx.client(version);
        byte[] nginxTicket = fromNginx.fullHandshake().ticket();
        AttackClient fromOtherHost = otherHost.client(version);
        byte[] otherTicket = fromOtherHost.fullHandshake().ticket();
        for (Target.Serve serve : List.of(serveFfm, serveJna)) {
            openedButRefused.merge(serve.name(), 2, Integer::sum);
            expect(serve, v + "cross-host: nginx's ticket at " + serve.name(), Kind.FULL_HANDSHAKE,
                    fromNginx.toPort(serve.port()).offer(nginxTicket, Kind.FULL_HANDSHAKE));
            expect(serve, v + "cross-host: b.test's ticket at " + serve.name(), Kind.FULL_HANDSHAKE,
                    fromOtherHost.toPort(serve.port()).offer(otherTicket, Kind.FULL_HANDSHAKE));
        }
        expect(serveJna, v + "control: serve-ffm's ticket at serve-jna (same host, same keys)", Kind.RESUMED,
                ffm.toPort(serveJna.port()).offer(ffmTicket, Kind.RESUMED));
        assertTrue(otherHost.alive(), otherHost.log());
    }

    /** Indices from, from + stride, ... below from + length, and always the last one. */
    private static int[] range(int from, int length, int stride) {
        java.util.TreeSet<Integer> indices = new java.util.TreeSet<>();
        for (int i = 0; i < length; i += stride) {
            indices.add(from + i);
        }
        indices.add(from + length - 1);
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }

    private void count(Target target, String attack, Answer answer) {
        tally.computeIfAbsent(target.name(), t -> new LinkedHashMap<>())
                .computeIfAbsent(attack, a -> new LinkedHashMap<>()).merge(answer.kind(), 1, Integer::sum);
        sequences.computeIfAbsent(target.name() + " | " + attack, a -> new LinkedHashSet<>()).add(answer.messages());
    }

    private Answer expect(Target target, String attack, Kind expected, Answer answer) {
        count(target, attack, answer);
        if (answer.kind() != expected) {
            fail(target + ", " + attack + ": expected " + expected + ", got " + answer + "\n" + tail(target.log()));
        }
        return answer;
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }

    private void report() throws Exception {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Map<String, Map<Kind, Integer>>> target : tally.entrySet()) {
            for (Map.Entry<String, Map<Kind, Integer>> attack : target.getValue().entrySet()) {
                int probes = attack.getValue().values().stream().mapToInt(Integer::intValue).sum();
                text.append(target.getKey()).append(" | ").append(attack.getKey()).append(" | ").append(probes)
                        .append(" | ").append(attack.getValue()).append(" | ")
                        .append(sequences.get(target.getKey() + " | " + attack.getKey())).append('\n');
            }
        }
        System.out.print(text);
        Path out = Path.of("target", "attack-results.txt");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, text);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}

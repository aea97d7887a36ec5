package io.ticketkeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.KeyEvent;
import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.endpoints.VersionRange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * serve with {@code --key-file}: a key file that changes is reloaded; a ticket under the old key still resumes, is
 * renewed under the new key, and the renewed ticket resumes; a bad file on reload leaves the keys in force and is
 * reported with the file's name and the reason.
 */
class ServeKeyFilesTest {
    @TempDir
    Path directory;

    private final HandshakeLog events = new HandshakeLog();
    private final List<KeyEvent> keyEvents = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void aChangedKeyFileIsReloadedAndTheOldKeysTicketResumesRenewed(TlsVersion version) throws Exception {
        Path keyFile = directory.resolve("ticket.key");
        assertEquals(0, CommandResult.run("keygen", keyFile.toString()).exitCode());
        String oldKey = namePrefix(keyFile);
        ServerSettings settings = ServerSettings.builder().versions(VersionRange.only(version))
                .ticketKeyFiles(KeyFileFormat.NGINX, List.of(keyFile)).build();
        try (HttpsResponder responder = HttpsResponder.start(settings, events::add, keyEvents::add)) {
            ProbeSettings probe = ProbeSettings.builder("127.0.0.1").port(responder.port()).reconnections(2).build();
            int[] pauses = {0};
            List<ProbeConnection> connections = new Probe(probe, (connection, delay) -> {
                if (pauses[0]++ == 0) {
                    replaceKeyFile(responder, keyFile);
                }
            }, connection -> { }).run();
            assertTrue(connections.get(1).renewed(), "the old key's ticket did not resume renewed");
            assertTrue(connections.get(2).reused(), "the renewed ticket did not resume");
        }
        String newKey = namePrefix(keyFile);
        assertEquals(oldKey, events.get(0).sealingKey(), events.get(0).logLine());
        assertEquals(oldKey, events.get(1).presentedKey(), events.get(1).logLine());
        assertEquals(newKey, events.get(1).sealingKey(), events.get(1).logLine());
        assertEquals(newKey, events.get(2).presentedKey(), events.get(2).logLine());
    }

    /** First a truncated file (refused: the old key stays), then a fresh key, as an operator's rotation would. */
    private void replaceKeyFile(HttpsResponder responder, Path keyFile) {
        try {
            Files.write(keyFile, new byte[79]);
            assertThrows(TicketKeeperException.class, () -> responder.handle().refreshKeys());
            String failure = ServeCommand.describe(keyEvents.get(keyEvents.size() - 1));
            assertTrue(failure.contains("load failed") && failure.contains(keyFile + ": 79 bytes, expected 80"),
                    failure);
            assertEquals(1, responder.handle().keys().size(), "the bad file changed the keys in force");
            assertEquals(0, CommandResult.run("keygen", "--force", keyFile.toString()).exitCode());
            responder.handle().refreshKeys(); // the handle's own thread does this every 10 seconds
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String namePrefix(Path keyFile) throws java.io.IOException {
        return HexFormat.of().formatHex(Arrays.copyOf(Files.readAllBytes(keyFile), 4)) + "…";
    }
}

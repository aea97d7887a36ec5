package io.ticketkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.testkit.RandomInputs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Any bytes in a key file, in every layout: the parser gives usable keys or a {@link KeyFileException} that names
 * the file and a reason, never another exception and never a hang.
 */
class KeyFileFormatPropertyTest {
    private static final Path FILE = Path.of("/srv/keys/ticket.key");

    private static List<byte[]> validFiles(RandomInputs inputs) {
        List<byte[]> files = new ArrayList<>(List.of(inputs.exactly(80), inputs.exactly(48)));
        StringBuilder haproxy = new StringBuilder();
        for (int line = 0; line < 3; line++) {
            haproxy.append(Base64.getEncoder().encodeToString(inputs.exactly(48))).append('\n');
        }
        files.add(haproxy.toString().getBytes(StandardCharsets.US_ASCII));
        return files;
    }

    @ParameterizedTest
    @EnumSource(KeyFileFormat.class)
    void everyInputGivesKeysOrAKeyFileException(KeyFileFormat format) {
        RandomInputs inputs = new RandomInputs();
        List<byte[]> valid = validFiles(inputs);
        inputs.forAllBytes(in -> in.nearOrFar(valid, 400), content -> {
            try {
                KeyFileFormat.Parsed parsed = format.parse(FILE, content);
                assertFalse(parsed.keys().isEmpty());
                assertTrue(parsed.keys().size() <= KeyFileFormat.HAPROXY_KEYS);
                assertTrue(parsed.sealing() >= 0 && parsed.sealing() < parsed.keys().size());
                parsed.keys().forEach(TicketKey::destroy);
            } catch (KeyFileException e) {
                assertEquals(FILE, e.file());
                assertFalse(e.reason().isBlank(), "no reason given");
                assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
            }
        });
    }
}

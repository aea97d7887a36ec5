package io.ticketkeeper.session.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.testkit.RandomInputs;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sealing keys as operators write them (ID:BASE64): any text parses to a key or says what is wrong with it. */
class SealingKeyPropertyTest {
    @Test
    void anyTextGivesAKeyOrAnIllegalArgumentExceptionThatSaysWhy() {
        RandomInputs inputs = new RandomInputs();
        String valid = "k1:" + Base64.getEncoder().encodeToString(inputs.exactly(32));
        inputs.forAllText(in -> in.text(List.of(valid, "fleet-2026:" + valid.substring(3)), 120), text -> {
            try {
                SealingKey key = SealingKey.parse(text);
                assertEquals(text.substring(0, text.indexOf(':')), key.id());
                assertFalse(key.toString().contains(text.substring(text.indexOf(':') + 1).strip()),
                        "the secret is printed");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains("sealing key"), e.getMessage());
            }
        });
    }

    @Test
    void writtenKeysReadBackEqual() {
        RandomInputs inputs = new RandomInputs();
        inputs.forAllBytes(in -> in.exactly(32), secret -> {
            secret[0] |= 1;
            SealingKey key = SealingKey.of("k", secret);
            assertEquals(key, SealingKey.parse("k:" + Base64.getEncoder().encodeToString(secret)));
        });
    }
}

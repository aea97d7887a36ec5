package io.ticketkeeper.session.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.testkit.RandomInputs;

import java.security.GeneralSecurityException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Redis entry opener on anything a shared store may hold: a sealed session opens to itself under its own id
 * only, and every other entry (tampered, truncated, random, under another key or id) opens to nothing, quietly.
 */
class SessionSealerPropertyTest {
    private final SessionSealer sealer = new SessionSealer(List.of(SealingKey.generate("k2"), SealingKey.generate("k1")));
    private final SessionId id = SessionId.of(new byte[] {1, 2, 3, 4});

    @Test
    void sealedSessionsOpenToThemselves() {
        RandomInputs inputs = new RandomInputs();
        inputs.forAllBytes(in -> in.bytes(2000), session -> {
            try {
                assertArrayEquals(session, sealer.open(id, sealer.seal(id, session)).orElseThrow());
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void anyOtherEntryOpensToNothing() throws GeneralSecurityException {
        RandomInputs inputs = new RandomInputs();
        byte[] sealed = sealer.seal(id, new byte[] {0x30, 0x03, 2, 1, 1});
        SessionId other = SessionId.of(new byte[] {1, 2, 3, 5});
        assertTrue(sealer.open(other, sealed).isEmpty(), "an entry moved to another id opened");
        SessionSealer stranger = new SessionSealer(List.of(SealingKey.generate("k2")));
        assertTrue(stranger.open(id, sealed).isEmpty(), "another key with the same id opened the entry");
        inputs.forAllBytes(in -> in.nearOrFar(List.of(sealed), 300),
                entry -> assertTrue(sealer.open(id, entry).isEmpty(), "a changed entry opened"));
    }
}

package io.ticketkeeper.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;
import io.ticketkeeper.session.SessionId;
import io.ticketkeeper.session.SessionStore;
import io.ticketkeeper.testkit.HeapMemory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one session cache upcall body over heap memory, without a handshake: what it copies in and out, which arrays
 * it wipes, and that a failing store gives a miss, counted. The harness's SessionCacheTest drives it through
 * OpenSSL on both backends.
 */
class SessionCacheUpcallsTest {
    private static final long CONTEXT = 7;
    private static final long HOST = 42;
    private static final long ID = 0;
    private static final long DER = 64;
    private static final long OUT = 256;
    private static final byte[] SESSION_ID = {1, 2, 3, 4};
    private static final byte[] SESSION_DER = {0x30, 5, 6, 7, 8, 9};

    private final HeapMemory memory = new HeapMemory(512);
    private final RecordingStore store = new RecordingStore();
    private final SessionCacheBridge bridge = new SessionCacheBridge(SessionCacheOptions.of(store),
            context -> context == CONTEXT ? HOST : 0);
    private final SessionCacheUpcalls upcalls = new SessionCacheUpcalls(bridge, memory);

    SessionCacheUpcallsTest() {
        memory.put(ID, SESSION_ID);
        memory.put(DER, SESSION_DER);
    }

    @Test
    void aNewSessionIsStoredBoundToItsHostAndTheEntryWipedAfterwards() {
        assertEquals(0, upcalls.newSession(CONTEXT, ID, SESSION_ID.length, DER, SESSION_DER.length, 300));

        byte[] put = store.entries.get(SessionId.of(SESSION_ID));
        assertArrayEquals(SESSION_DER, SessionCacheBridge.derOf(put));
        assertEquals(1, store.handedOut.size());
        assertArrayEquals(new byte[SessionCacheBridge.HEADER + SESSION_DER.length], store.handedOut.get(0));
        assertEquals(1, stats().stored());
    }

    @Test
    void aStoredSessionIsCopiedIntoOpenSslsBufferAndTheAnswerWiped() {
        upcalls.newSession(CONTEXT, ID, SESSION_ID.length, DER, SESSION_DER.length, 300);

        assertEquals(SESSION_DER.length, upcalls.getSession(CONTEXT, ID, SESSION_ID.length, OUT, 100));
        byte[] out = new byte[SESSION_DER.length];
        memory.copy(OUT, out, out.length);
        assertArrayEquals(SESSION_DER, out);
        assertArrayEquals(new byte[SessionCacheBridge.HEADER + SESSION_DER.length], store.answers.get(0));
        assertEquals(1, stats().hits());
    }

    @Test
    void aSessionLongerThanTheBufferIsAMissAndNothingIsWritten() {
        upcalls.newSession(CONTEXT, ID, SESSION_ID.length, DER, SESSION_DER.length, 300);

        assertEquals(0, upcalls.getSession(CONTEXT, ID, SESSION_ID.length, OUT, SESSION_DER.length - 1));
        byte[] out = new byte[SESSION_DER.length];
        memory.copy(OUT, out, out.length);
        assertArrayEquals(new byte[SESSION_DER.length], out);
        assertArrayEquals(new byte[SessionCacheBridge.HEADER + SESSION_DER.length], store.answers.get(0));
    }

    @Test
    void aFailingStoreIsAMissCountedAndNothingLeavesTheUpcalls() {
        store.down = true;

        assertEquals(0, upcalls.newSession(CONTEXT, ID, SESSION_ID.length, DER, SESSION_DER.length, 300));
        assertEquals(0, upcalls.getSession(CONTEXT, ID, SESSION_ID.length, OUT, 100));
        assertEquals(0, upcalls.removeSession(CONTEXT, ID, SESSION_ID.length));
        assertEquals(3, stats().storeFailures());
        assertEquals(1, stats().misses());
    }

    @Test
    void aFaultInTheBodyItselfIsCountedAsAFailure() {
        // A negative length fails in the body's own copy, before the store is asked.
        assertEquals(0, upcalls.newSession(CONTEXT, ID, SESSION_ID.length, DER, -1, 300));
        assertEquals(0, upcalls.getSession(CONTEXT, ID, -1, OUT, 100));
        assertEquals(2, stats().storeFailures());
        assertEquals(0, stats().lookups());
    }

    @Test
    void removeTellsTheStore() {
        upcalls.newSession(CONTEXT, ID, SESSION_ID.length, DER, SESSION_DER.length, 300);

        assertEquals(0, upcalls.removeSession(CONTEXT, ID, SESSION_ID.length));
        assertEquals(Map.of(), store.entries);
        assertEquals(1, stats().removed());
    }

    private SessionCacheStats stats() {
        return bridge.stats(CacheShimStats.NONE);
    }

    /** Keeps copies, and the arrays it was handed and answered with, to see them wiped. */
    private static final class RecordingStore implements SessionStore {
        final Map<SessionId, byte[]> entries = new HashMap<>();
        final List<byte[]> handedOut = new ArrayList<>();
        final List<byte[]> answers = new ArrayList<>();
        boolean down;

        @Override
        public void put(SessionId id, byte[] session, Duration ttl) {
            check();
            handedOut.add(session);
            entries.put(id, session.clone());
        }

        @Override
        public Optional<byte[]> get(SessionId id) {
            check();
            byte[] answer = entries.containsKey(id) ? entries.get(id).clone() : null;
            if (answer != null) {
                answers.add(answer);
            }
            return Optional.ofNullable(answer);
        }

        @Override
        public void remove(SessionId id) {
            check();
            entries.remove(id);
        }

        private void check() {
            if (down) {
                throw new IllegalStateException("store down");
            }
        }

        @Override
        public String toString() {
            return "RecordingStore";
        }
    }
}

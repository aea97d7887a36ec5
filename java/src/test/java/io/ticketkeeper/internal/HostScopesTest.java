package io.ticketkeeper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The host ids stamped into tickets travel to other servers and outlive reloads and upgrades: they are pinned here,
 * so that a change of the derivation (which would give every bound ticket a full handshake fleet-wide) is a
 * deliberate one.
 */
class HostScopesTest {
    private static final HostScopes NONE = new HostScopes(List.of());

    @Test
    void idsAreTheFirstEightBytesOfSha256OverTheSortedNames() {
        assertEquals(0x6c5fa903150f81f6L, NONE.idOf("a.test"));
        assertEquals(0x5a04eee337287f0dL, NONE.idOf(HostScopes.UNNAMED));
        HostScopes shared = new HostScopes(List.of(Set.of("b.test", "a.test")));
        assertEquals(0x56de53fb4fe82fcfL, shared.idOf("a.test"));
        assertEquals(shared.idOf("a.test"), shared.idOf("b.test"));
        assertEquals(NONE.idOf("c.test"), shared.idOf("c.test"));
        assertNotEquals(NONE.idOf("a.test"), NONE.idOf("b.test"));
    }

    @Test
    void namesCompareWithoutCaseAndTrailingDot() {
        assertEquals("a.test", HostScopes.normalize("A.Test."));
        assertEquals("*.example.com", HostScopes.normalize("*.EXAMPLE.com"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostScopes.normalize(" a.test"))
                .getMessage().contains("' a.test'"));
        assertThrows(IllegalArgumentException.class, () -> HostScopes.normalize(""));
        assertThrows(IllegalArgumentException.class, () -> HostScopes.normalize("."));
        assertThrows(IllegalArgumentException.class, () -> HostScopes.normalize("a\u0000b"));
        assertThrows(NullPointerException.class, () -> HostScopes.normalize(null));
    }

    @Test
    void aGroupNeedsTwoNamesAndAHostOneGroup() {
        assertEquals(Set.of("a.test", "b.test"), HostScopes.group(List.of("A.test", "b.test.")));
        assertThrows(IllegalArgumentException.class, () -> HostScopes.group(List.of("a.test", "A.TEST")));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new HostScopes(List.of(Set.of("a.test", "b.test"), Set.of("b.test", "c.test"))));
        assertTrue(twice.getMessage().contains("'b.test' is in two groups"), twice.getMessage());
    }
}

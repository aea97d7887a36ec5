package io.ticketkeeper.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketkeeper.SessionIdContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.TlsVersion;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The application frees its SSL_CTX before it closes the handle (a server reload, a bug): every later handle call
 * that would touch the context fails with a clear {@link IllegalStateException} instead of a use-after-free, and
 * what needs no context (keys, counters, close) still works.
 */
@Tag(OpenSslGenerationTest.OPENSSL_1_1)
class ContextFreedFirstTest {
    @Test
    void callsThatNeedTheContextFailClearlyAfterItIsFreed() {
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("freed.test")) {
            ServerContext server = ServerContext.builder(TlsVersion.TLS1_3, certificate).build();
            TicketKeeperHandle handle = TicketKeeper.install(server.address(),
                    TicketKeeperOptions.builder().keys(TicketKey.generate()).build());
            String context = "SSL_CTX 0x" + Long.toHexString(server.address());
            server.close();

            IllegalStateException idContext = assertThrows(IllegalStateException.class,
                    () -> handle.setSessionIdContext(SessionIdContext.of(new byte[] {1, 2, 3})));
            assertTrue(idContext.getMessage().contains(context), idContext.getMessage());
            assertTrue(idContext.getMessage().contains("was freed"), idContext.getMessage());
            assertThrows(IllegalStateException.class, () -> handle.setSessionIdContext(SessionIdContext.nginx()));
            IllegalStateException warm = assertThrows(IllegalStateException.class,
                    () -> handle.warmStart(List.of(new byte[] {0x30, 0x00})));
            assertTrue(warm.getMessage().contains("was freed"), warm.getMessage());

            handle.setKeys(TicketKey.generate());
            assertEquals(0, handle.stats().sealed());
            handle.close();
            assertTrue(handle.isClosed());
        }
    }
}

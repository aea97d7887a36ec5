package io.ticketkeeper.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.harness.HostCertificate;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Netty's log says that TicketKeeper runs, with what, and its totals when the handle closes. */
class NettySaysWhatItDoesTest {
    @TempDir
    Path folder;

    @Test
    void oneLineWhenTheHandleStartsAndOneWhenItCloses() throws Exception {
        TcnativeLibrary.ensureBuilt();
        OpenSsl.ensureAvailability();
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(TicketKeeperNetty.class.getName());
        logger.addHandler(handler);
        try {
            HostCertificate certificate = HostCertificate.create(folder, "a.test", "b.test");
            SslContext a = context(certificate);
            SslContext b = context(certificate);
            TicketKeeperSniMapping hosts = TicketKeeperNetty.sni(a, Map.of("a.test", a, "b.test", b),
                    TicketKeeperOptions.defaults());
            assertEquals(1, lines.size(), lines::toString);
            String start = lines.get(0);
            System.out.println("start line: " + start);
            assertTrue(start.matches("INFO TicketKeeper \\[netty-[0-9]+\\] runs: backend "
                    + TicketKeeper.backendDescription().replace("(", "\\(").replace(")", "\\)")
                    + ", Netty on OpenSSL .*, keys .*, hosts \\[a\\.test, b\\.test\\] in 2 contexts, session cache "
                    + "none"), start);
            hosts.release();
            assertEquals(2, lines.size(), lines::toString);
            System.out.println("stop line: " + lines.get(1));
            assertTrue(lines.get(1).matches("INFO TicketKeeper \\[netty-[0-9]+\\] stopped: sealed 0, resumed 0, .*"),
                    lines.get(1));
        } finally {
            logger.removeHandler(handler);
        }
    }

    private static SslContext context(HostCertificate certificate) throws Exception {
        return SslContextBuilder.forServer(certificate.certificateFile().toFile(), certificate.keyFile().toFile())
                .sslProvider(SslProvider.OPENSSL_REFCNT).protocols("TLSv1.2", "TLSv1.3").build();
    }
}

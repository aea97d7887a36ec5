package example.docs;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.netty.TicketKeeperNetty;
import io.ticketkeeper.netty.TicketKeeperSniMapping;
import io.ticketkeeper.netty.TicketKeeperSslContext;

import java.io.File;
import java.util.Map;

import javax.net.ssl.SSLException;

/** The code of docs/netty.md. */
final class NettySnippets {
    private NettySnippets() {
    }

    static void sni(File certA, File keyA, File certB, File keyB, TicketKeeperOptions options) throws SSLException {
        // tag::sni[]
        SslContext a = SslContextBuilder.forServer(certA, keyA).sslProvider(SslProvider.OPENSSL_REFCNT).build();
        SslContext b = SslContextBuilder.forServer(certB, keyB).sslProvider(SslProvider.OPENSSL_REFCNT).build();
        TicketKeeperSniMapping hosts = TicketKeeperNetty.sni(a, Map.of("a.test", a, "b.test", b),
                TicketKeeperOptions.builder().keySource(KeyRotation.defaults()).build());
        // in the ChannelInitializer: pipeline.addLast(new SniHandler(hosts), new HttpServerCodec(), ...);
        hosts.context("a.test").orElseThrow().stats();  // and hosts.handle().stats()
        hosts.release();                                 // closes the handle, then releases a and b

        // One context: a TicketKeeperSslContext is a Netty SslContext (newHandler, newEngine).
        TicketKeeperSslContext context = TicketKeeperNetty.install(a, "a.test", options);
        context.release();
        // end::sni[]
    }
}

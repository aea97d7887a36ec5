package example;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.jmx.TicketKeeperJmx;
import io.ticketkeeper.netty.TicketKeeperNetty;
import io.ticketkeeper.netty.TicketKeeperSniMapping;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Two servers as users write them, each with its own TicketKeeper handle over the virtual hosts a.test and b.test:
 * a Netty 4.2 server with an {@code SniHandler}, and a Reactor Netty 1.3 {@code HttpServer} with SNI mappings. Both
 * answer "ok HOST" and close. Each handle is an MXBean (names "netty", "reactor-netty"). Runs until its standard
 * input ends, then stops both servers and releases the contexts (the stop lines).
 *
 * <pre>java example.NettyServers NETTY_PORT REACTOR_PORT CERTIFICATE_FOLDER</pre>
 */
public final class NettyServers {
    public static void main(String[] args) throws Exception {
        int nettyPort = Integer.parseInt(args[0]);
        int reactorPort = Integer.parseInt(args[1]);
        File certificates = new File(args[2]);
        OpenSsl.ensureAvailability();
        System.out.println("example: " + OpenSsl.versionString() + " through netty-tcnative");

        TicketKeeperSniMapping netty = hosts(certificates);
        ObjectName nettyBean = TicketKeeperJmx.register(netty.handle(), "netty");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel connection) {
                        connection.pipeline().addLast(new SniHandler(netty), new HttpServerCodec(),
                                new HttpObjectAggregator(4096), new Ok());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", nettyPort)).sync().channel();

        TicketKeeperSniMapping reactor = hosts(certificates);
        ObjectName reactorBean = TicketKeeperJmx.register(reactor.handle(), "reactor-netty");
        // tag::reactor[]
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(reactorPort)
                .secure(spec -> spec.sslContext(reactor.map("a.test"))
                        .addSniMapping("b.test", b -> b.sslContext(reactor.map("b.test"))))
                .handle((request, response) -> response.header("Connection", "close")
                        .sendString(Mono.just("ok " + request.requestHeaders().get("Host"))))
                .bindNow();
        // end::reactor[]
        System.out.println("example: Netty on " + nettyPort + ", Reactor Netty on " + reactorPort);

        while (System.in.read() >= 0) {
            // until the script closes our standard input
        }
        server.disposeNow();
        TicketKeeperJmx.unregister(reactorBean);
        reactor.release();
        channel.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        TicketKeeperJmx.unregister(nettyBean);
        netty.release();
    }

    /** a.test and b.test on Netty's OpenSSL provider, under one TicketKeeper handle (a.test the default). */
    private static TicketKeeperSniMapping hosts(File certificates) throws Exception {
        SslContext a = context(certificates, "a.test");
        SslContext b = context(certificates, "b.test");
        return TicketKeeperNetty.sni(a, Map.of("a.test", a, "b.test", b),
                TicketKeeperOptions.builder().keySource(KeyRotation.defaults()).build());
    }

    private static SslContext context(File certificates, String host) throws Exception {
        return SslContextBuilder.forServer(new File(certificates, host + ".crt"), new File(certificates, host + ".key"))
                .sslProvider(SslProvider.OPENSSL_REFCNT).build();
    }

    private static final class Ok extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok " + request.headers().get(HttpHeaderNames.HOST), StandardCharsets.UTF_8));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}

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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.ticketkeeper.KeyFileFormat;
import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.netty.NettyTicketKeys;
import io.ticketkeeper.netty.TicketKeeperNetty;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Netty HTTPS server on netty-tcnative-boringssl-static whose session ticket keys come from an nginx-style key
 * file through TicketKeeper's key-management mode, reloaded when the file changes.
 *
 * <p>{@code KeyFileHttpsServer PORT TICKET_KEY CERTIFICATE PRIVATE_KEY}: listens on loopback PORT, answers every
 * request with "ok", and stops when its standard input ends.
 */
public final class KeyFileHttpsServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path ticketKey = Path.of(args[1]);
        File certificate = Path.of(args[2]).toFile();
        File privateKey = Path.of(args[3]).toFile();
        // tag::manage[]
        SslContext tls = SslContextBuilder.forServer(certificate, privateKey)
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.2", "TLSv1.3").build();
        // The key file is checked every second here (default: 10 s), so that a reload shows quickly.
        NettyTicketKeys keys = TicketKeeperNetty.manageKeys(tls, TicketKeeperOptions.builder()
                .keySource(KeyFiles.builder(KeyFileFormat.NGINX, List.of(ticketKey))
                        .checkInterval(Duration.ofSeconds(1)).build())
                .build());
        // pipeline: tls.newHandler(channel.alloc()), ...; keys.handle().keyStats() shows the ring
        // end::manage[]
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel connection) {
                            connection.pipeline().addLast(tls.newHandler(connection.alloc()), new HttpServerCodec(),
                                    new HttpObjectAggregator(4096), new Ok());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
            keys.close();
        }
    }

    private static final class Ok extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}

package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static io.ticketkeeper.endpoints.OpenSslCalls.check;
import static io.ticketkeeper.endpoints.OpenSslCalls.checkNotNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A handshake over a loopback TCP connection on an ephemeral port: the server end runs on its own thread. */
public final class SocketHandshake {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final byte[] GREETING = "ok".getBytes(StandardCharsets.US_ASCII);

    private SocketHandshake() {
    }

    public static HandshakeResult run(ServerContext server, ClientContext client, ClientSession offer) {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> serverSide = CompletableFuture.supplyAsync(() -> serve(listener, server));
            HandshakeResult result = connect(listener.getLocalPort(), client, offer);
            byte[] peerFingerprint = awaitServer(serverSide, result);
            if (!result.completed()) {
                return result;
            }
            return new HandshakeResult(true, result.resumed(), result.version(), result.session(), peerFingerprint,
                    null);
        } catch (IOException e) {
            return HandshakeResult.failed("socket: " + e.getMessage());
        }
    }

    private static byte[] awaitServer(CompletableFuture<byte[]> serverSide, HandshakeResult clientResult) {
        try {
            return serverSide.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            if (clientResult.completed()) {
                throw new IllegalStateException("the server end failed: " + e.getCause(), e);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The server end alone, for a client these endpoints do not run ({@code openssl s_client}, gnutls-cli): accepts
     * one connection on {@code listener}, handshakes, sends "ok" and closes. The future completes with the client
     * certificate's fingerprint (or null) and fails when the handshake does.
     */
    public static CompletableFuture<byte[]> acceptOne(ServerSocket listener, ServerContext server) {
        return CompletableFuture.supplyAsync(() -> serve(listener, server));
    }

    /** The server end: handshake, send the greeting, and report the client certificate's fingerprint. */
    private static byte[] serve(ServerSocket listener, ServerContext server) {
        long ssl = checkNotNull(SSL.SSL_new(server.address()), "SSL_new(server)");
        try (Socket socket = listener.accept(); SocketPeer peer = new SocketPeer(ssl, socket)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            SSL.SSL_set_accept_state(ssl);
            peer.handshake();
            peer.write(GREETING);
            byte[] fingerprint = SessionFacts.peerFingerprint(ssl);
            peer.shutdown();
            return fingerprint;
        } catch (IOException e) {
            throw new IllegalStateException("server: " + e.getMessage(), e);
        } finally {
            OpenSslCalls.drainErrors();
            SSL.SSL_free(ssl);
        }
    }

    private static HandshakeResult connect(int port, ClientContext client, ClientSession offer) {
        return connect(port, client, offer, null, GREETING.length);
    }

    /**
     * The client end alone, against a server on loopback {@code port} that these endpoints do not run (nginx,
     * {@code openssl s_server}): handshake offering {@code offer}'s session (may be null), send {@code request}
     * (may be null), read {@code responseBytes} bytes of application data, which also takes in TLS 1.3 tickets sent
     * before them, and close. The result has no server-side facts.
     */
    public static HandshakeResult connectTo(int port, ClientContext client, ClientSession offer, byte[] request,
            int responseBytes) {
        return connect(port, client, offer, request, responseBytes);
    }

    private static HandshakeResult connect(int port, ClientContext client, ClientSession offer, byte[] request,
            int responseBytes) {
        long ssl = checkNotNull(SSL.SSL_new(client.address()), "SSL_new(client)");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            try (SocketPeer peer = new SocketPeer(ssl, socket)) {
                SSL.SSL_set_connect_state(ssl);
                if (offer != null) {
                    check(SSL.SSL_set_session(ssl, offer.session()), "SSL_set_session");
                }
                peer.handshake();
                if (request != null) {
                    peer.write(request);
                }
                peer.read(responseBytes);
                HandshakeResult result = SessionFacts.of(ssl, 0);
                peer.shutdown();
                return result;
            }
        } catch (IOException e) {
            return HandshakeResult.failed("client: " + e.getMessage());
        } finally {
            OpenSslCalls.drainErrors();
            SSL.SSL_free(ssl);
        }
    }
}

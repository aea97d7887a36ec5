package io.ticketkeeper.cli;

import static io.ticketkeeper.ffm.openssl.OpenSsl.*;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.harness.OpenSslCalls;
import io.ticketkeeper.harness.ServerContext;
import io.ticketkeeper.harness.SocketPeer;
import io.ticketkeeper.harness.TestCertificate;
import io.ticketkeeper.harness.TlsVersion;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The server behind {@code ticketkeeper serve}: an HTTPS responder on a real socket, OpenSSL through the generated
 * bindings with TicketKeeper installed, answering any request with 200 and a line saying how the handshake went.
 * One pooled thread per connection, at most {@code maxConnections} at once (accepting waits beyond that).
 */
final class HttpsResponder implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 16 * 1024;
    private static final long CLOSE_GRACE_MILLIS = 2_000;

    private final ServerSettings settings;
    private final Consumer<HandshakeEvent> listener;
    private final TestCertificate generatedCertificate;
    private final ServerContext context;
    private final DecisionRecorder recorder;
    private final GeneratedKeyRing keyRing;
    private final TicketKeeperHandle handle;
    private final ServerSocket listenSocket;
    private final ExecutorService connections;
    private final Semaphore connectionSlots;
    private final ScheduledExecutorService rotation;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final ServeCounters counters = new ServeCounters();
    private final AtomicLong connectionNumbers = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    private HttpsResponder(ServerSettings settings, Consumer<HandshakeEvent> listener) throws IOException {
        this.settings = settings;
        this.listener = listener;
        this.generatedCertificate = settings.certificateFile() == null ? TestCertificate.create("localhost") : null;
        this.recorder = new DecisionRecorder(TicketPolicy.defaults(settings.maxAge(), settings.renewAfter()));
        // Key files (--key-file) replace the generated ring here once the library reads them.
        this.keyRing = new GeneratedKeyRing(settings.clock(), settings.maxAge());
        ServerContext madeContext = null;
        TicketKeeperHandle madeHandle = null;
        try {
            madeContext = newContext(settings, generatedCertificate);
            madeHandle = TicketKeeper.install(madeContext.address(), TicketKeeperOptions.builder()
                    .clock(settings.clock())
                    .policy(recorder)
                    .keys(keyRing.keys())
                    .build());
            this.listenSocket = listen(settings);
        } catch (IOException | RuntimeException e) {
            closeAll(madeHandle, madeContext, generatedCertificate);
            throw e;
        }
        this.context = madeContext;
        this.handle = madeHandle;
        this.connectionSlots = new Semaphore(settings.maxConnections());
        this.connections = Executors.newFixedThreadPool(settings.maxConnections(), daemon("serve-connection"));
        this.rotation = Executors.newSingleThreadScheduledExecutor(daemon("serve-rotation"));
        long every = settings.rotateEvery().toMillis();
        if (every > 0) {
            rotation.scheduleAtFixedRate(this::rotateKeys, every, every, TimeUnit.MILLISECONDS);
        }
        this.acceptor = daemon("serve-accept").newThread(this::acceptLoop);
        acceptor.start();
    }

    private static ServerSocket listen(ServerSettings settings) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(settings.bind(), settings.port()), 128);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + settings.bind().getHostAddress() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Starts serving; {@code listener} hears of every connection, on the connection's thread. */
    static HttpsResponder start(ServerSettings settings, Consumer<HandshakeEvent> listener) throws IOException {
        return new HttpsResponder(settings, listener);
    }

    private static ServerContext newContext(ServerSettings settings, TestCertificate generated) {
        ServerContext.Builder builder = ServerContext.builder(settings.versions())
                .tickets(settings.tickets())
                .sessionCache(settings.sessionCache() == SessionCache.OPENSSL)
                .sessionTimeout(settings.maxAge())
                .clientCertificate(settings.clientCertificate());
        if (generated != null) {
            builder.certificate(generated);
        } else {
            builder.certificateFiles(settings.certificateFile(), settings.keyFile());
        }
        return builder.build();
    }

    int port() {
        return listenSocket.getLocalPort();
    }

    ServerSettings settings() {
        return settings;
    }

    TicketKeeperHandle handle() {
        return handle;
    }

    ServeCounters counters() {
        return counters;
    }

    /** Writes the generated certificate as PEM, for clients that must trust it. */
    void writeCertificate(Path certificateFile) throws IOException {
        if (generatedCertificate == null) {
            throw new IllegalStateException("serve uses the certificate in " + settings.certificateFile());
        }
        generatedCertificate.writeCertificatePem(certificateFile);
    }

    /** A fresh generated key takes over encryption now; tickets under the old one are renewed when they resume. */
    void rotateKeys() {
        if (!closed) {
            keyRing.rotate(handle);
        }
    }

    /** One line: what the server counted and what TicketKeeper counted. */
    String summary() {
        return counters.summary() + "; " + ServeCounters.describe(handle.stats());
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                connectionSlots.acquire();
                Socket socket = accept();
                if (socket == null) {
                    connectionSlots.release();
                    continue;
                }
                long number = connectionNumbers.incrementAndGet();
                connections.execute(() -> {
                    try {
                        serve(socket, number);
                    } finally {
                        connectionSlots.release();
                    }
                });
            } catch (InterruptedException e) {
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                connectionSlots.release(); // closing: the socket is closed with the others
            }
        }
    }

    private Socket accept() {
        try {
            Socket socket = listenSocket.accept();
            openSockets.add(socket);
            return socket;
        } catch (IOException e) {
            return null;
        }
    }

    private void serve(Socket socket, long number) {
        String peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        counters.connection();
        DecisionRecorder.Decisions decisions = recorder.begin();
        MemorySegment ssl = SSL_new(context.ctx());
        HandshakeEvent event;
        try (socket; SocketPeer connection = new SocketPeer(ssl, socket)) {
            socket.setSoTimeout((int) settings.ioTimeout().toMillis());
            SSL_set_accept_state(ssl);
            connection.handshake();
            boolean resumed = SSL_session_reused(ssl) == 1;
            String version = TlsVersion.of(SSL_version(ssl)).toString();
            answer(connection, version, resumed);
            MemorySegment peerCertificate = SSL_get0_peer_certificate(ssl);
            byte[] fingerprint = peerCertificate.equals(MemorySegment.NULL) ? null
                    : TestCertificate.fingerprint(peerCertificate);
            event = HandshakeEvent.of(number, peer, version, resumed, decisions, fingerprint);
        } catch (IOException | RuntimeException e) {
            event = HandshakeEvent.failed(number, peer, closed ? "server closing" : String.valueOf(e.getMessage()));
        } finally {
            OpenSslCalls.drainErrors();
            SSL_free(ssl);
            openSockets.remove(socket);
        }
        counters.record(event);
        listener.accept(event);
    }

    /**
     * Reads the request and answers it. A client may leave once it has its tickets (gnutls-cli --resume does):
     * the handshake counted, so that is no failure.
     */
    private static void answer(SocketPeer connection, String version, boolean resumed) {
        try {
            readRequest(connection);
            connection.write(response(version, resumed));
            connection.shutdown();
        } catch (IOException e) {
            // the client left before the answer
        }
    }

    /** Reads the request head, or whatever arrives before the client closes or stops sending. */
    private static void readRequest(SocketPeer connection) throws IOException {
        StringBuilder request = new StringBuilder();
        while (request.length() < MAX_REQUEST_BYTES && request.indexOf("\r\n\r\n") < 0
                && request.indexOf("\n\n") < 0) {
            byte[] data = connection.readSome(4096);
            if (data == null) {
                return;
            }
            request.append(new String(data, StandardCharsets.ISO_8859_1));
        }
    }

    private static byte[] response(String version, boolean resumed) {
        String body = "ticketkeeper serve: " + version + ", " + (resumed ? "resumed session" : "new session") + "\n";
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Stops accepting, lets connections in flight finish for a moment, then closes what is left. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rotation.shutdownNow();
        try {
            listenSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        acceptor.interrupt();
        connections.shutdown();
        try {
            if (!connections.awaitTermination(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                openSockets.forEach(HttpsResponder::closeQuietly);
                connections.awaitTermination(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
            acceptor.join(CLOSE_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll(handle, context, generatedCertificate);
    }

    /** Closes what was made, in reverse order; any may be null when start-up failed before it. */
    private static void closeAll(TicketKeeperHandle handle, ServerContext context, TestCertificate certificate) {
        if (handle != null) {
            handle.close();
        }
        if (context != null) {
            context.close();
        }
        if (certificate != null) {
            certificate.close();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closing
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong count = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

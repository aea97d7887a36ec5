package io.ticketkeeper.cli;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;

import io.ticketkeeper.EarlyDataOptions;
import io.ticketkeeper.EarlyDataStats;
import io.ticketkeeper.EarlyDataStatus;
import io.ticketkeeper.KeyEvent;
import io.ticketkeeper.KeyFiles;
import io.ticketkeeper.KeyRotation;
import io.ticketkeeper.KeySource;
import io.ticketkeeper.ReplayRecord;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketPolicy;
import io.ticketkeeper.endpoints.OpenSslCalls;
import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.ServerContext;
import io.ticketkeeper.endpoints.SocketPeer;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.session.SessionCacheOptions;
import io.ticketkeeper.session.SessionCacheStats;
import io.ticketkeeper.session.SessionStore;
import io.ticketkeeper.session.redis.RedisReplayRecord;
import io.ticketkeeper.session.redis.RedisSessionStore;
import io.ticketkeeper.session.redis.SealingKey;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    /** The answer's header that tells a client whether its request came as TLS 1.3 early data. */
    static final String EARLY_DATA_HEADER = "TicketKeeper-Early-Data";
    private static final byte[] NO_BYTES = new byte[0];
    private static final int MAX_REQUEST_BYTES = 16 * 1024;
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    /** The longest wait before a rotating ring stages its next key; it is staged a whole period ahead anyway. */
    private static final Duration ROTATION_CHECK = Duration.ofMinutes(1);

    private final ServerSettings settings;
    private final Consumer<HandshakeEvent> listener;
    private final SelfSignedCertificate generatedCertificate;
    private final ServerContext context;
    private final DecisionRecorder recorder;
    /** The one key when serve neither reads files nor rotates; null otherwise (the key source owns the keys). */
    private final TicketKey fixedKey;
    /** The fleet's key source when the keys come from Redis; closed after the handle. */
    private final FleetKeySource fleet;
    private final SessionStore sessionStore;
    private final TicketKeeperHandle handle;
    private final ServerSocket listenSocket;
    private final ExecutorService connections;
    private final Semaphore connectionSlots;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final ServeCounters counters = new ServeCounters();
    private final AtomicLong connectionNumbers = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    private HttpsResponder(ServerSettings settings, Consumer<HandshakeEvent> listener,
            Consumer<KeyEvent> keyEvents) throws IOException {
        this.settings = settings;
        this.listener = listener;
        this.generatedCertificate = settings.certificateFile() == null ? SelfSignedCertificate.create("localhost") : null;
        this.recorder = new DecisionRecorder(TicketPolicy.defaults(settings.maxAge(), settings.renewAfter()));
        ServerContext madeContext = null;
        SessionStore madeStore = null;
        TicketKeeperHandle madeHandle = null;
        FleetKeySource madeFleet = null;
        KeySource keySource;
        try {
            madeFleet = settings.fleet() ? fleet(settings) : null;
            keySource = madeFleet != null ? madeFleet : keySource(settings);
        } catch (RuntimeException e) {
            closeAll(null, null, null, generatedCertificate, null, null);
            throw e;
        }
        this.fixedKey = keySource == null ? TicketKey.generate() : null;
        try {
            madeContext = newContext(settings, generatedCertificate);
            TicketKeeperOptions.Builder options = TicketKeeperOptions.builder()
                    .clock(settings.clock())
                    .policy(recorder)
                    .keyEventListener(keyEvents);
            if (keySource != null) {
                options.keySource(keySource);
            } else {
                options.keys(fixedKey);
            }
            if (settings.sessionIdContext() != null) {
                options.sessionIdContext(settings.sessionIdContext());
            }
            madeStore = settings.sessionCache().open(sealingKeys(settings), settings.redis());
            if (madeStore != null) {
                options.sessionCache(SessionCacheOptions.of(madeStore));
            }
            if (settings.earlyData() > 0) {
                EarlyDataOptions.Builder early = EarlyDataOptions.builder().maxBytes(settings.earlyData());
                if (settings.earlyDataOncePerTicket()) {
                    early.oncePerTicket(settings.maxAge());
                }
                options.earlyData(early.record(replayRecord(settings)).build());
            }
            madeHandle = TicketKeeper.install(madeContext.address(), options.build());
            this.listenSocket = listen(settings);
        } catch (IOException | RuntimeException e) {
            closeAll(madeHandle, madeStore, madeContext, generatedCertificate, fixedKey, madeFleet);
            throw e;
        }
        this.fleet = madeFleet;
        this.context = madeContext;
        this.sessionStore = madeStore;
        this.handle = madeHandle;
        this.connectionSlots = new Semaphore(settings.maxConnections());
        this.connections = Executors.newFixedThreadPool(settings.maxConnections(), daemon("serve-connection"));
        this.acceptor = daemon("serve-accept").newThread(this::acceptLoop);
        acceptor.start();
    }

    /**
     * Key files when given (reloaded by the handle when they change; a key that leaves them opens tickets for
     * --max-age more); else generated keys rotating every --rotate-every, each opening tickets for --max-age after
     * it stops sealing; else null: one generated key for the life of the server.
     */
    private static KeySource keySource(ServerSettings settings) {
        if (!settings.ticketKeyFiles().isEmpty()) {
            return KeyFiles.builder(settings.ticketKeyFormat(), settings.ticketKeyFiles())
                    .retainRemovedFor(settings.maxAge())
                    .build();
        }
        Duration every = settings.rotateEvery();
        if (every.isZero()) {
            return null;
        }
        return KeyRotation.builder()
                .sealFor(every)
                .openFor(settings.maxAge())
                .checkInterval(every.compareTo(ROTATION_CHECK) < 0 ? every : ROTATION_CHECK)
                .build();
    }

    /**
     * The fleet's keys in Redis: periods of --rotate-every (one hour when not set), each key opening tickets for
     * --max-age (the policy's) plus --outage-sealing after its period.
     */
    private static FleetKeySource fleet(ServerSettings settings) {
        FleetKeySource.Builder fleet = FleetKeySource.builder(settings.keySource(),
                        SessionKeyFiles.read(settings.fleetKeyFiles(), "fleet"))
                .rotateEvery(settings.fleetPeriod())
                .maxTicketAge(settings.maxAge())
                .clock(settings.clock());
        if (settings.outageSealing() != null) {
            fleet.outageSealing(settings.outageSealing());
        }
        return settings.redis().applyTo(fleet).build();
    }

    /** The early data record: in the fleet's (or the shared session store's) Redis, else in memory. */
    private static ReplayRecord replayRecord(ServerSettings settings) {
        String redis = settings.earlyDataRedis();
        if (redis == null) {
            return ReplayRecord.inMemory(ReplayRecord.MIN_WINDOW, EarlyDataOptions.DEFAULT_CAPACITY);
        }
        return settings.redis().applyTo(RedisReplayRecord.builder(redis).wait(settings.earlyDataWait())).build();
    }

    /** The --session-key-file keys, or for a shared store without them one generated key (serve warns). */
    private static List<SealingKey> sealingKeys(ServerSettings settings) {
        if (!settings.sessionCache().shared()) {
            return List.of();
        }
        if (settings.sessionKeyFiles().isEmpty()) {
            return List.of(SealingKey.generate("generated"));
        }
        return SessionKeyFiles.read(settings.sessionKeyFiles());
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
        return new HttpsResponder(settings, listener, event -> { });
    }

    /** As {@link #start(ServerSettings, Consumer)}; {@code keyEvents} hears of key ring changes and reload failures. */
    static HttpsResponder start(ServerSettings settings, Consumer<HandshakeEvent> listener,
            Consumer<KeyEvent> keyEvents) throws IOException {
        return new HttpsResponder(settings, listener, keyEvents);
    }

    private static ServerContext newContext(ServerSettings settings, SelfSignedCertificate generated) {
        ServerContext.Builder builder = ServerContext.builder(settings.versions())
                .tickets(settings.tickets())
                .sessionCache(settings.sessionCache().kind() == SessionCache.Kind.OPENSSL)
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

    /** One line: what the server counted and what TicketKeeper counted. */
    String summary() {
        return counters.summary() + "; " + ServeCounters.describe(handle.stats())
                + handle.sessionCacheStats().map(cache -> "; " + ServeCounters.describe(cache)).orElse("")
                + (fleet == null ? "" : "; " + ServeCounters.describe(handle.keyRingStats(), handle.stats()))
                + (settings.earlyData() == 0 ? "" : "; " + describe(handle.earlyDataStats()));
    }

    static String describe(EarlyDataStats early) {
        return "early data: offered " + early.offered() + ", accepted " + early.accepted() + ", refused: replay "
                + early.rejectedReplay() + ", starting " + early.rejectedStarting() + ", record full "
                + early.rejectedFull() + ", record unavailable " + early.rejectedUnavailable() + ", policy "
                + early.rejectedPolicy();
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
        long ssl = SSL.SSL_new(context.address());
        HandshakeEvent event;
        String earlyData = null;
        try (socket; SocketPeer connection = new SocketPeer(ssl, socket)) {
            socket.setSoTimeout((int) settings.ioTimeout().toMillis());
            SSL.SSL_set_accept_state(ssl);
            byte[] early = settings.earlyData() > 0 ? connection.readEarlyData(settings.earlyData()) : NO_BYTES;
            connection.handshake();
            boolean resumed = SSL.SSL_session_reused(ssl) == 1;
            String version = TlsVersion.of(SSL.SSL_version(ssl)).toString();
            earlyData = earlyData(handle.earlyDataStatus(ssl), early.length);
            answer(connection, version, resumed, ResumptionOutcome.of(resumed, decisions), early, earlyData);
            long peerCertificate = SSL.SSL_get0_peer_certificate(ssl);
            byte[] fingerprint = peerCertificate == 0 ? null : SelfSignedCertificate.fingerprint(peerCertificate);
            event = HandshakeEvent.of(number, peer, version, resumed, decisions, fingerprint, earlyData);
        } catch (IOException | RuntimeException e) {
            event = HandshakeEvent.failed(number, peer, closed ? "server closing" : String.valueOf(e.getMessage()));
        } finally {
            OpenSslCalls.drainErrors();
            SSL.SSL_free(ssl);
            openSockets.remove(socket);
        }
        counters.record(event);
        listener.accept(event);
    }

    /**
     * Reads the request and answers it. A client may leave once it has its tickets (gnutls-cli --resume does):
     * the handshake counted, so that is no failure.
     */
    private static void answer(SocketPeer connection, String version, boolean resumed,
            ResumptionOutcome outcome, byte[] early, String earlyData) {
        try {
            readRequest(connection, early);
            connection.write(response(version, resumed, outcome, earlyData));
            connection.shutdown();
        } catch (IOException e) {
            // the client left before the answer
        }
    }

    /** Reads the request head, or whatever arrives before the client closes or stops sending. */
    private static void readRequest(SocketPeer connection, byte[] early) throws IOException {
        StringBuilder request = new StringBuilder(new String(early, StandardCharsets.ISO_8859_1));
        while (request.length() < MAX_REQUEST_BYTES && request.indexOf("\r\n\r\n") < 0
                && request.indexOf("\n\n") < 0) {
            byte[] data = connection.readSome(4096);
            if (data == null) {
                return;
            }
            request.append(new String(data, StandardCharsets.ISO_8859_1));
        }
    }

    /** The answer, with a header that tells a client (load, probe) how its handshake went and why. */
    private static byte[] response(String version, boolean resumed, ResumptionOutcome outcome, String earlyData) {
        String body = "ticketkeeper serve: " + version + ", " + (resumed ? "resumed session" : "new session")
                + (earlyData == null ? "" : ", early data " + earlyData) + "\n";
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\n" + ResumptionOutcome.HEADER + ": " + outcome.token()
                + (earlyData == null ? "" : "\r\n" + EARLY_DATA_HEADER + ": " + earlyData)
                + "\r\nConnection: close\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What the log and the answer say of the connection's early data: "accepted(N bytes)" when the request (or its
     * start) came as early data, "rejected" when the client offered some and was refused (it sent it again after
     * the handshake), null when it offered none.
     */
    private static String earlyData(EarlyDataStatus status, int bytes) {
        switch (status) {
            case ACCEPTED:
                return "accepted(" + bytes + " bytes)";
            case REJECTED:
                return "rejected";
            default:
                return null;
        }
    }

    /** Stops accepting, lets connections in flight finish for a moment, then closes what is left. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
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
        closeAll(handle, sessionStore, context, generatedCertificate, fixedKey, fleet);
    }

    /** Closes what was made, in reverse order; any may be null when start-up failed before it. */
    private static void closeAll(TicketKeeperHandle handle, SessionStore store, ServerContext context,
            SelfSignedCertificate certificate, TicketKey key, FleetKeySource fleet) {
        if (handle != null) {
            handle.close();
        }
        if (fleet != null) {
            fleet.close(); // after the handle: it cleanses the keys the handle published
        }
        if (store instanceof RedisSessionStore redis) {
            redis.close();
        }
        if (key != null) {
            key.destroy(); // no handshake reads it once the handle is closed
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

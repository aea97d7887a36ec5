package io.ticketkeeper.cli;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static io.ticketkeeper.endpoints.OpenSslCalls.check;
import static io.ticketkeeper.endpoints.OpenSslCalls.checkNotNull;

import io.ticketkeeper.endpoints.ClientContext;
import io.ticketkeeper.endpoints.ClientSession;
import io.ticketkeeper.endpoints.OpenSslCalls;
import io.ticketkeeper.endpoints.SocketPeer;
import io.ticketkeeper.endpoints.TlsVersion;
import io.ticketkeeper.openssl.LibSsl;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The RFC 5077 tester behind {@code ticketkeeper probe}: an OpenSSL client (through the generated bindings, over a
 * real socket) that connects, then reconnects offering the session it holds, and reports per connection whether
 * the server resumed it and what ticket it handed out.
 *
 * <p>Under TLS 1.3 the server sends its tickets after the handshake. Each connection therefore sends a request and
 * reads the answer (until the server closes, or a quiet second) before it takes the session, so the tickets have
 * been processed; a tester that takes the session right after the handshake sees no reuse against any TLS 1.3
 * server.
 */
final class Probe {
    private static final Duration READ_QUIET = Duration.ofSeconds(2);
    private static final int RESPONSE_HEAD_BYTES = 4096;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** What happens between two connections: a sleep by default; the selftest moves the server's clock instead. */
    interface Pause {
        void before(int connection, Duration delay) throws InterruptedException;
    }

    /** A server to connect to. */
    record Target(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final ProbeSettings settings;
    private final Pause pause;
    private final Consumer<ProbeConnection> listener;
    private final List<Target> targets;
    private final int firstTarget;

    Probe(ProbeSettings settings, Pause pause, Consumer<ProbeConnection> listener) {
        this(settings, List.of(new Target(settings.host(), settings.port())), 0, pause, listener);
    }

    /**
     * A probe whose connections go to {@code targets} in turn, the first to {@code targets[firstTarget]}: with more
     * than one, every offered session comes from the connection before, on the previous target, so each resumption
     * is one across servers (as behind a load balancer that shares ticket keys).
     */
    Probe(ProbeSettings settings, List<Target> targets, int firstTarget, Pause pause,
            Consumer<ProbeConnection> listener) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target");
        }
        this.settings = settings;
        this.pause = pause;
        this.listener = listener;
        this.targets = List.copyOf(targets);
        this.firstTarget = Math.floorMod(firstTarget, targets.size());
    }

    /** A pause that sleeps, telling {@code progress} how long it waits and, on long waits, how long is left. */
    static Pause sleeping(Consumer<String> progress) {
        return (connection, delay) -> {
            if (delay.isZero()) {
                return;
            }
            progress.accept("waiting " + DurationConverter.format(delay) + " before connection " + connection);
            long left = delay.toMillis();
            while (left > 0) {
                long step = Math.min(left, 5_000);
                Thread.sleep(step);
                left -= step;
                if (left > 0) {
                    progress.accept("  " + DurationConverter.format(Duration.ofMillis(left)) + " left");
                }
            }
        };
    }

    /**
     * Runs every connection, telling the listener of each as it ends.
     *
     * @throws IOException when the first connection fails: the host is unknown, unreachable, or does not speak TLS
     */
    List<ProbeConnection> run() throws IOException, InterruptedException {
        List<ProbeConnection> connections = new ArrayList<>();
        ClientSession first = null;
        ClientSession latest = null;
        int firstFrom = -1;
        int latestFrom = -1;
        try (ClientContext context = newContext()) {
            for (int number = 1; number <= settings.reconnections() + 1; number++) {
                if (number > 1) {
                    pause.before(number, settings.delay());
                }
                ClientSession offer = settings.offerFirst() ? first : latest;
                int offerFrom = settings.offerFirst() ? firstFrom : latestFrom;
                if (offer != null && settings.offerShare() < 1
                        && ThreadLocalRandom.current().nextDouble() >= settings.offerShare()) {
                    offer = null;
                }
                int target = (firstTarget + number - 1) % targets.size();
                Attempt attempt = connect(context, targets.get(target), number, offer);
                ProbeConnection connection = attempt.connection().at(target, offerFrom);
                if (connection.failed() && number == 1) {
                    throw new IOException(connection.error());
                }
                connections.add(connection);
                listener.accept(connection);
                if (attempt.session() != null) {
                    if (first == null) {
                        first = attempt.session();
                        firstFrom = target;
                    } else if (latest != first && latest != null) {
                        latest.close();
                    }
                    latest = attempt.session();
                    latestFrom = target;
                }
            }
        } finally {
            if (latest != null && latest != first) {
                latest.close();
            }
            if (first != null) {
                first.close();
            }
        }
        return connections;
    }

    private ClientContext newContext() {
        ClientContext.Builder builder = ClientContext.builder(settings.versions())
                .tickets(settings.tickets());
        if (settings.certificateFile() != null) {
            builder.certificateFiles(settings.certificateFile(), settings.keyFile());
        }
        return builder.build();
    }

    private record Attempt(ProbeConnection connection, ClientSession session) {
    }

    private Attempt connect(ClientContext context, Target target, int number, ClientSession offer) {
        long ssl = checkNotNull(SSL.SSL_new(context.address()), "SSL_new");
        String where = target.host() + ":" + target.port();
        try (Socket socket = new Socket()) {
            int timeout = (int) settings.timeout().toMillis();
            socket.connect(new InetSocketAddress(target.host(), target.port()), timeout);
            socket.setSoTimeout(timeout);
            try (SocketPeer peer = new SocketPeer(ssl, socket)) {
                SSL.SSL_set_connect_state(ssl);
                if (settings.serverName() != null) {
                    check(SSL.SSL_set_tlsext_host_name(ssl, settings.serverName()), "set SNI");
                }
                if (offer != null) {
                    offer(ssl, offer);
                }
                boolean early = settings.earlyData() && offer != null
                        && SSL.SSL_SESSION_get_max_early_data(offer.session()) >= request().length;
                if (early) {
                    peer.writeEarlyData(request());
                }
                peer.handshake();
                boolean accepted = early && SSL.SSL_get_early_data_status(ssl) == LibSsl.SSL_EARLY_DATA_ACCEPTED;
                if (!accepted) {
                    peer.write(request()); // none sent, or refused: the request goes again in 1-RTT
                }
                socket.setSoTimeout((int) Math.min(timeout, READ_QUIET.toMillis()));
                String outcome = ResumptionOutcome.headerIn(readResponse(peer));
                ClientSession session = ClientSession.of(ssl);
                shutdownQuietly(peer);
                ProbeConnection connection = describe(number, ssl, session, offer, outcome);
                return new Attempt(early ? connection.withEarlyData(accepted ? "accepted" : "rejected") : connection,
                        session);
            }
        } catch (UnknownHostException e) {
            return new Attempt(ProbeConnection.failed(number, offer != null, "unknown host " + target.host()),
                    null);
        } catch (ConnectException | SocketTimeoutException e) {
            return new Attempt(ProbeConnection.failed(number, offer != null, "cannot connect to " + where + ": "
                    + e.getMessage()), null);
        } catch (IOException | RuntimeException e) {
            return new Attempt(ProbeConnection.failed(number, offer != null, where + ": " + e.getMessage()), null);
        } finally {
            OpenSslCalls.drainErrors();
            SSL.SSL_free(ssl);
        }
    }

    /**
     * Offers {@code offer}. With session ids off, under a fresh random id that no server cache knows, so only a
     * ticket can resume it: an empty id would be closer to the letter, but OpenSSL's client recognises a resumption
     * by the id the server echoes, and fails the handshake when the server resumes a ticket offered without one.
     */
    private void offer(long ssl, ClientSession offer) {
        if (!settings.sessionIds()) {
            byte[] id = new byte[32];
            RANDOM.nextBytes(id);
            check(SSL.SSL_SESSION_set1_id(offer.session(), id), "SSL_SESSION_set1_id");
        }
        check(SSL.SSL_set_session(ssl, offer.session()), "SSL_set_session");
    }

    private byte[] request() {
        String host = settings.serverName() != null ? settings.serverName() : settings.host();
        return ("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: ticketkeeper-probe\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads until the server closes or goes quiet; TLS 1.3 tickets are processed on the way. Returns the start of
     * the answer (its head), where {@code serve} says how the handshake went.
     */
    private static String readResponse(SocketPeer peer) throws IOException {
        StringBuilder head = new StringBuilder();
        try {
            for (byte[] data = peer.readSome(16 * 1024); data != null; data = peer.readSome(16 * 1024)) {
                if (head.length() < RESPONSE_HEAD_BYTES) {
                    head.append(new String(data, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (SocketTimeoutException e) {
            // a server that keeps the connection open: what arrived so far has been processed
        }
        return head.toString();
    }

    private static void shutdownQuietly(SocketPeer peer) {
        try {
            peer.shutdown();
        } catch (IOException e) {
            // the server may already have closed; the session is taken
        }
    }

    private static ProbeConnection describe(int number, long ssl, ClientSession session, ClientSession offer,
            String outcome) {
        boolean reused = SSL.SSL_session_reused(ssl) == 1;
        String version = TlsVersion.of(SSL.SSL_version(ssl)).toString();
        if (session == null) {
            return new ProbeConnection(number, reused, version, new byte[0], new byte[0], 0, false, offer != null,
                    outcome, null);
        }
        byte[] ticket = session.ticket();
        boolean changed = offer != null && !java.util.Arrays.equals(ticket, offer.ticket());
        return new ProbeConnection(number, reused, version, session.id(), ticket, session.lifetimeHint(), changed,
                offer != null, outcome, null);
    }
}

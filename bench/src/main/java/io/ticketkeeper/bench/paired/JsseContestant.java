package io.ticketkeeper.bench.paired;

import io.ticketkeeper.endpoints.SelfSignedCertificate;
import io.ticketkeeper.endpoints.TlsVersion;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a Java user would pick instead of OpenSSL: the JDK's own TLS ({@code SSLEngine}) on both ends, over memory
 * buffers in the measuring thread as the OpenSSL contestants run over a BIO pair, with stateless session tickets on
 * and the same P-256 certificate. A full handshake is one in which the client checked the server's certificate; a
 * resumption that checked one fails the batch, as an OpenSSL one that did not resume does.
 */
final class JsseContestant implements Contestant {
    static final String NAME = "jsse";
    private static final char[] PASSWORD = "bench".toCharArray();
    private static final int NET_BUFFER = 64 * 1024;
    private static final int MAX_STEPS = 200;
    private static final byte[] MESSAGE = "ok".getBytes(StandardCharsets.US_ASCII);

    /**
     * Stateless tickets on both ends (JSSE reads these when its classes initialise, so before any TLS is used):
     * the JDK's defaults since 13, set here so that the measurement does not depend on them.
     */
    static void enableStatelessTickets() {
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "true");
        System.setProperty("jdk.tls.client.enableSessionTicketExtension", "true");
    }

    private final TlsVersion version;
    private final boolean resumed;
    private final SSLContext serverContext;
    private final KeyStore trust;

    JsseContestant(TlsVersion version, boolean resumed) {
        this.version = version;
        this.resumed = resumed;
        try (SelfSignedCertificate certificate = SelfSignedCertificate.create("bench")) {
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate.der()));
            PrivateKey key = privateKey(certificate);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("bench", key, PASSWORD, new Certificate[] {x509});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, PASSWORD);
            serverContext = SSLContext.getInstance("TLS");
            serverContext.init(factory.getKeyManagers(), null, null);
            trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("bench", x509);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("JSSE set-up failed: " + e, e);
        }
    }

    /** The harness key as PKCS#8: written as PEM by OpenSSL (owner-only, in a directory deleted at once). */
    private static PrivateKey privateKey(SelfSignedCertificate certificate) throws IOException, GeneralSecurityException {
        Path directory = Files.createTempDirectory("tk-bench-jsse");
        Path certificateFile = directory.resolve("cert.pem");
        Path keyFile = directory.resolve("key.pem");
        try {
            certificate.writePem(certificateFile, keyFile);
            String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(base64)));
        } finally {
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(certificateFile);
            Files.delete(directory);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Handshaker newHandshaker() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            CountingTrustManager trustManager = new CountingTrustManager(
                    (X509ExtendedTrustManager) factory.getTrustManagers()[0]);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {trustManager}, null);
            Client handshaker = new Client(client, trustManager);
            handshaker.run(false); // the first session, as the OpenSSL clients start
            return handshaker;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JSSE client set-up failed: " + e, e);
        }
    }

    @Override
    public void close() {
        // the contexts hold nothing that outlives the process
    }

    /** One thread's client context; its session cache resumes by the peer name and port the engine is made for. */
    private final class Client implements Handshaker {
        private final SSLContext context;
        private final CountingTrustManager trustManager;
        private final ByteBuffer clientToServer = ByteBuffer.allocate(NET_BUFFER);
        private final ByteBuffer serverToClient = ByteBuffer.allocate(NET_BUFFER);
        private final ByteBuffer clientApp = ByteBuffer.allocate(NET_BUFFER);
        private final ByteBuffer serverApp = ByteBuffer.allocate(NET_BUFFER);
        private final ByteBuffer empty = ByteBuffer.allocate(0);

        Client(SSLContext context, CountingTrustManager trustManager) {
            this.context = context;
            this.trustManager = trustManager;
        }

        @Override
        public void handshake() {
            run(resumed);
        }

        /** One handshake that must resume, or must not. */
        void run(boolean resume) {
            long fullBefore = trustManager.fullHandshakes();
            try {
                // An engine made for a peer name and port offers (and caches) the session of that peer; one made
                // without, none.
                SSLEngine client = resumed ? context.createSSLEngine("bench", 443) : context.createSSLEngine();
                client.setUseClientMode(true);
                client.setEnabledProtocols(new String[] {version.toString()});
                SSLEngine server = serverContext.createSSLEngine();
                server.setUseClientMode(false);
                server.setEnabledProtocols(new String[] {version.toString()});
                clientToServer.clear();
                serverToClient.clear();
                client.beginHandshake();
                server.beginHandshake();
                handshake(client, server);
                exchange(client, server);
                String protocol = client.getSession().getProtocol();
                close(client, server);
                boolean wasFull = trustManager.fullHandshakes() != fullBefore;
                if (!protocol.equals(version.toString()) || wasFull == resume) {
                    throw new IllegalStateException("expected a " + (resume ? "resumed" : "full") + " " + version
                            + " handshake, got a " + (wasFull ? "full" : "resumed") + " " + protocol + " one");
                }
            } catch (SSLException e) {
                throw new IllegalStateException("JSSE handshake failed: " + e, e);
            }
        }

        private void handshake(SSLEngine client, SSLEngine server) throws SSLException {
            for (int step = 0; step < MAX_STEPS; step++) {
                boolean clientDone = done(client);
                boolean serverDone = done(server);
                if (clientDone && serverDone) {
                    return;
                }
                boolean progress = !clientDone && step(client, serverToClient, clientToServer, clientApp);
                progress |= !serverDone && step(server, clientToServer, serverToClient, serverApp);
                if (!progress) {
                    throw new SSLException("the handshake stalled: client " + client.getHandshakeStatus()
                            + ", server " + server.getHandshakeStatus());
                }
            }
            throw new SSLException("the handshake did not finish in " + MAX_STEPS + " steps");
        }

        private static boolean done(SSLEngine engine) {
            return engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
        }

        /** One step of {@code engine}'s handshake; whether it moved. {@code in} and {@code out} are in fill mode. */
        private boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK:
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                    return true;
                case NEED_WRAP:
                    return ok(engine.wrap(empty, out)).bytesProduced() > 0
                            || engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    return unwrap(engine, in, app).bytesConsumed() > 0
                            || engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP;
                default:
                    return false;
            }
        }

        private SSLEngineResult unwrap(SSLEngine engine, ByteBuffer in, ByteBuffer app) throws SSLException {
            in.flip();
            try {
                SSLEngineResult result = engine.unwrap(in, app);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    return result;
                }
                return ok(result);
            } finally {
                in.compact();
            }
        }

        private static SSLEngineResult ok(SSLEngineResult result) throws SSLException {
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("unexpected " + result);
            }
            return result;
        }

        /** The server writes two bytes the client reads: TLS 1.3 tickets, sent after the handshake, arrive first. */
        private void exchange(SSLEngine client, SSLEngine server) throws SSLException {
            ok(server.wrap(ByteBuffer.wrap(MESSAGE), serverToClient));
            clientApp.clear();
            for (int step = 0; step < MAX_STEPS && clientApp.position() < MESSAGE.length; step++) {
                SSLEngineResult result = unwrap(client, serverToClient, clientApp);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    throw new SSLException("the client read " + clientApp.position() + " of " + MESSAGE.length
                            + " bytes");
                }
                if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    step(client, serverToClient, clientToServer, clientApp);
                }
            }
            if (clientApp.position() != MESSAGE.length) {
                throw new SSLException("the client read " + clientApp.position() + " bytes, not " + MESSAGE.length);
            }
        }

        /** Both ends send close_notify, as the OpenSSL contestants do. */
        private void close(SSLEngine client, SSLEngine server) throws SSLException {
            client.closeOutbound();
            client.wrap(empty, clientToServer);
            server.closeOutbound();
            server.wrap(empty, serverToClient);
        }

        @Override
        public void close() {
            // nothing native
        }
    }

    /**
     * Counts, per thread, the server certificates the client checked: a server sends its certificate in a full
     * handshake only (the server's key manager is no witness: JSSE asks it on a TLS 1.2 resumption too).
     */
    private static final class CountingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final ThreadLocal<long[]> checked = ThreadLocal.withInitial(() -> new long[1]);

        CountingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        long fullHandshakes() {
            return checked.get()[0];
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
            checked.get()[0]++;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
            checked.get()[0]++;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
            checked.get()[0]++;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}

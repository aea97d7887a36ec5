package example.modulepath;

import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketKey;
import io.ticketkeeper.TicketStats;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * TicketKeeper on Java 25, on the module path (the FFM backend), installed on a server {@code SSL_CTX} that this
 * application made through its own FFM calls into libssl, as an application with its own OpenSSL bindings would:
 * TicketKeeper takes the context's address. A full TLS 1.3 handshake, then a resumption with its ticket, over an
 * OpenSSL BIO pair in this thread.
 */
public final class ResumeOnModulePath {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBSSL = SymbolLookup.libraryLookup("libssl.so.3", Arena.global());
    private static final ValueLayout.OfLong PTR = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private static final MethodHandle TLS_SERVER_METHOD = function("TLS_server_method", FunctionDescriptor.of(PTR));
    private static final MethodHandle TLS_CLIENT_METHOD = function("TLS_client_method", FunctionDescriptor.of(PTR));
    private static final MethodHandle SSL_CTX_NEW = function("SSL_CTX_new", FunctionDescriptor.of(PTR, PTR));
    private static final MethodHandle SSL_CTX_FREE = function("SSL_CTX_free", FunctionDescriptor.ofVoid(PTR));
    private static final MethodHandle USE_CHAIN_FILE = function("SSL_CTX_use_certificate_chain_file",
            FunctionDescriptor.of(INT, PTR, ValueLayout.ADDRESS));
    private static final MethodHandle USE_KEY_FILE = function("SSL_CTX_use_PrivateKey_file",
            FunctionDescriptor.of(INT, PTR, ValueLayout.ADDRESS, INT));
    private static final MethodHandle SSL_NEW = function("SSL_new", FunctionDescriptor.of(PTR, PTR));
    private static final MethodHandle SSL_FREE = function("SSL_free", FunctionDescriptor.ofVoid(PTR));
    private static final MethodHandle BIO_NEW_BIO_PAIR = function("BIO_new_bio_pair",
            FunctionDescriptor.of(INT, ValueLayout.ADDRESS, PTR, ValueLayout.ADDRESS, PTR));
    private static final MethodHandle SSL_SET_BIO = function("SSL_set_bio", FunctionDescriptor.ofVoid(PTR, PTR, PTR));
    private static final MethodHandle SSL_SET_CONNECT_STATE = function("SSL_set_connect_state",
            FunctionDescriptor.ofVoid(PTR));
    private static final MethodHandle SSL_SET_ACCEPT_STATE = function("SSL_set_accept_state",
            FunctionDescriptor.ofVoid(PTR));
    private static final MethodHandle SSL_DO_HANDSHAKE = function("SSL_do_handshake", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle SSL_GET_ERROR = function("SSL_get_error", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle SSL_WRITE = function("SSL_write",
            FunctionDescriptor.of(INT, PTR, ValueLayout.ADDRESS, INT));
    private static final MethodHandle SSL_READ = function("SSL_read",
            FunctionDescriptor.of(INT, PTR, ValueLayout.ADDRESS, INT));
    private static final MethodHandle SSL_SHUTDOWN = function("SSL_shutdown", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle SSL_SESSION_REUSED = function("SSL_session_reused",
            FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle SSL_GET1_SESSION = function("SSL_get1_session", FunctionDescriptor.of(PTR, PTR));
    private static final MethodHandle SSL_SET_SESSION = function("SSL_set_session", FunctionDescriptor.of(INT, PTR, PTR));
    private static final MethodHandle SSL_SESSION_FREE = function("SSL_SESSION_free", FunctionDescriptor.ofVoid(PTR));
    private static final int SSL_FILETYPE_PEM = 1;
    private static final int SSL_ERROR_WANT_READ = 2;
    private static final int SSL_ERROR_WANT_WRITE = 3;

    private ResumeOnModulePath() {
    }

    public static void main(String[] args) throws Throwable {
        Path directory = Files.createTempDirectory("ticketkeeper-example");
        Path certificate = directory.resolve("server.crt");
        Path key = directory.resolve("server.key");
        selfSigned(certificate, key);

        long serverCtx = (long) SSL_CTX_NEW.invokeExact((long) TLS_SERVER_METHOD.invokeExact());
        long clientCtx = (long) SSL_CTX_NEW.invokeExact((long) TLS_CLIENT_METHOD.invokeExact());
        try (Arena arena = Arena.ofConfined()) {
            check((int) USE_CHAIN_FILE.invokeExact(serverCtx, arena.allocateFrom(certificate.toString())), "cert");
            check((int) USE_KEY_FILE.invokeExact(serverCtx, arena.allocateFrom(key.toString()), SSL_FILETYPE_PEM),
                    "key");
        }
        try (TicketKeeperHandle handle = TicketKeeper.install(serverCtx, TicketKeeperOptions.builder()
                .keys(TicketKey.generate(), TicketKey.generate()) // the first seals, both open
                .build())) {
            long session = handshake(serverCtx, clientCtx, 0, false);
            long resumed = handshake(serverCtx, clientCtx, session, true);
            SSL_SESSION_FREE.invokeExact(session);
            SSL_SESSION_FREE.invokeExact(resumed);
            TicketStats stats = handle.stats();
            System.out.println("example: " + TicketKeeper.backendDescription() + "; sealed " + stats.sealed()
                    + ", resumed " + stats.resumed() + ", renewed " + stats.renewed());
            if (stats.resumed() != 1) {
                throw new IllegalStateException("the second handshake did not resume: " + stats);
            }
        } finally {
            SSL_CTX_FREE.invokeExact(clientCtx);
            SSL_CTX_FREE.invokeExact(serverCtx);
        }
        Module module = ResumeOnModulePath.class.getModule();
        System.out.println("example: resumed on Java " + Runtime.version().feature() + ", module " + module.getName()
                + " reading " + TicketKeeper.class.getModule().getName());
        if (!module.isNamed() || !TicketKeeper.class.getModule().isNamed()) {
            throw new IllegalStateException("not on the module path");
        }
    }

    private static long handshake(long serverCtx, long clientCtx, long offer, boolean mustResume) throws Throwable {
        long server = (long) SSL_NEW.invokeExact(serverCtx);
        long client = (long) SSL_NEW.invokeExact(clientCtx);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ends = arena.allocate(PTR, 2);
            check((int) BIO_NEW_BIO_PAIR.invokeExact(ends, 0L, ends.asSlice(8), 0L), "BIO_new_bio_pair");
            long clientBio = ends.getAtIndex(PTR, 0);
            long serverBio = ends.getAtIndex(PTR, 1);
            SSL_SET_BIO.invokeExact(client, clientBio, clientBio);
            SSL_SET_BIO.invokeExact(server, serverBio, serverBio);
            SSL_SET_CONNECT_STATE.invokeExact(client);
            SSL_SET_ACCEPT_STATE.invokeExact(server);
            if (offer != 0) {
                check((int) SSL_SET_SESSION.invokeExact(client, offer), "SSL_set_session");
            }
            boolean clientDone = false;
            boolean serverDone = false;
            for (int round = 0; round < 32 && !(clientDone && serverDone); round++) {
                clientDone = clientDone || step(client, (int) SSL_DO_HANDSHAKE.invokeExact(client));
                serverDone = serverDone || step(server, (int) SSL_DO_HANDSHAKE.invokeExact(server));
            }
            if (!(clientDone && serverDone)) {
                throw new IllegalStateException("the handshake did not finish");
            }
            // TLS 1.3 sends tickets after the handshake: the client reads them with the server's first bytes.
            MemorySegment buffer = arena.allocate(16);
            buffer.setString(0, "ok");
            check((int) SSL_WRITE.invokeExact(server, buffer, 2) == 2 ? 1 : 0, "SSL_write");
            check((int) SSL_READ.invokeExact(client, buffer, 16) == 2 ? 1 : 0, "SSL_read");
            boolean reused = (int) SSL_SESSION_REUSED.invokeExact(client) == 1;
            System.out.println("example: handshake " + (reused ? "resumed" : "full"));
            if (mustResume != reused) {
                throw new IllegalStateException("expected " + (mustResume ? "a resumption" : "a full handshake"));
            }
            int ignored = (int) SSL_SHUTDOWN.invokeExact(client);
            ignored = (int) SSL_SHUTDOWN.invokeExact(server);
            return (long) SSL_GET1_SESSION.invokeExact(client);
        } finally {
            SSL_FREE.invokeExact(client);
            SSL_FREE.invokeExact(server);
        }
    }

    private static boolean step(long ssl, int result) throws Throwable {
        if (result == 1) {
            return true;
        }
        int error = (int) SSL_GET_ERROR.invokeExact(ssl, result);
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
            throw new IllegalStateException("handshake failed: SSL_get_error " + error);
        }
        return false;
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBSSL.findOrThrow(name), descriptor);
    }

    private static void check(int result, String what) {
        if (result != 1) {
            throw new IllegalStateException(what + " failed");
        }
    }

    private static void selfSigned(Path certificate, Path key) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
                "-subj", "/CN=localhost", "-days", "1").redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl req failed: " + output);
        }
    }
}

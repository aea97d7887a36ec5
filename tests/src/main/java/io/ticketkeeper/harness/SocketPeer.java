package io.ticketkeeper.harness;

import static io.ticketkeeper.openssl.ffm.OpenSsl.*;
import static io.ticketkeeper.harness.OpenSslCalls.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Socket;

/**
 * One end of a TLS connection over a real socket: OpenSSL reads and writes a BIO pair, and this class moves the
 * bytes between the pair's network side and the socket, as Tomcat's FFM connector and Netty do. Used by the harness,
 * and by {@code ticketkeeper serve} and {@code probe}. The caller keeps owning the {@code SSL *} and the socket;
 * {@link #close()} frees the BIO pair's network half.
 */
public final class SocketPeer implements AutoCloseable {
    private static final int BUFFER_SIZE = 17 * 1024;

    private final MemorySegment ssl;
    private final MemorySegment networkBio;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(BUFFER_SIZE);
    /** Where {@link #readSome} has OpenSSL put application data: one buffer for the connection's life. */
    private final MemorySegment readBuffer = arena.allocate(BUFFER_SIZE);
    private final byte[] heapBuffer = new byte[BUFFER_SIZE];
    private final InputStream in;
    private final OutputStream out;

    public SocketPeer(MemorySegment ssl, Socket socket) throws IOException {
        this.ssl = ssl;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        MemorySegment internal = arena.allocate(ValueLayout.ADDRESS);
        MemorySegment network = arena.allocate(ValueLayout.ADDRESS);
        check(BIO_new_bio_pair(internal, 0, network, 0), "BIO_new_bio_pair");
        this.networkBio = network.get(ValueLayout.ADDRESS, 0);
        SSL_set_bio(ssl, internal.get(ValueLayout.ADDRESS, 0), internal.get(ValueLayout.ADDRESS, 0));
    }

    public void handshake() throws IOException {
        while (true) {
            int result = SSL_do_handshake(ssl);
            flush();
            if (result == 1) {
                return;
            }
            awaitProgress(result, "handshake");
        }
    }

    public void write(byte[] data) throws IOException {
        MemorySegment message = arena.allocateFrom(ValueLayout.JAVA_BYTE, data);
        int written = SSL_write(ssl, message, data.length);
        flush();
        if (written != data.length) {
            throw new IOException("SSL_write returned " + written + ": " + OpenSslCalls.drainErrors());
        }
    }

    /** Reads until {@code length} bytes of application data arrived. */
    public byte[] read(int length) throws IOException {
        MemorySegment data = arena.allocate(length);
        int total = 0;
        while (total < length) {
            int result = SSL_read(ssl, data.asSlice(total), length - total);
            flush();
            if (result > 0) {
                total += result;
                continue;
            }
            awaitProgress(result, "read");
        }
        return data.toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Reads what application data arrives next, at most {@code max} bytes (and at most 17 KiB); null when the peer
     * closed the connection (close_notify, or the end of the stream).
     */
    public byte[] readSome(int max) throws IOException {
        MemorySegment data = readBuffer.asSlice(0, Math.min(max, BUFFER_SIZE));
        while (true) {
            int result = SSL_read(ssl, data, (int) data.byteSize());
            flush();
            if (result > 0) {
                return data.asSlice(0, result).toArray(ValueLayout.JAVA_BYTE);
            }
            if (SSL_get_error(ssl, result) == SSL_ERROR_ZERO_RETURN()) {
                return null;
            }
            try {
                awaitProgress(result, "read");
            } catch (PeerClosedException e) {
                // Closed without close_notify, as many HTTP servers do after a response: OpenSSL never sees the
                // end of the stream, so the session stays resumable.
                return null;
            }
        }
    }

    /** Sends close_notify, without which OpenSSL marks the session as not resumable. */
    public void shutdown() throws IOException {
        SSL_shutdown(ssl);
        flush();
    }

    private void awaitProgress(int result, String what) throws IOException {
        int error = SSL_get_error(ssl, result);
        if (error == SSL_ERROR_WANT_READ()) {
            fill();
            return;
        }
        if (error != SSL_ERROR_WANT_WRITE()) {
            throw new IOException(what + " failed (SSL error " + error + "): " + OpenSslCalls.drainErrors());
        }
    }

    private void flush() throws IOException {
        long pending;
        while ((pending = BIO_ctrl_pending(networkBio)) > 0) {
            int n = BIO_read(networkBio, buffer, (int) Math.min(pending, BUFFER_SIZE));
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, heapBuffer, 0, n);
            out.write(heapBuffer, 0, n);
        }
        out.flush();
    }

    private void fill() throws IOException {
        int room = (int) Math.min(BIO_ctrl_get_write_guarantee(networkBio), BUFFER_SIZE);
        int n = in.read(heapBuffer, 0, Math.max(1, room));
        if (n < 0) {
            throw new PeerClosedException();
        }
        MemorySegment.copy(heapBuffer, 0, buffer, ValueLayout.JAVA_BYTE, 0, n);
        if (BIO_write(networkBio, buffer, n) != n) {
            throw new IOException("BIO_write took less than " + n + " bytes");
        }
    }

    /** The peer closed the TCP connection. */
    public static final class PeerClosedException extends IOException {
        private static final long serialVersionUID = 1L;

        PeerClosedException() {
            super("the peer closed the connection");
        }
    }

    @Override
    public void close() {
        BIO_free(networkBio);
        arena.close();
    }
}

package io.ticketkeeper.endpoints;

import static io.ticketkeeper.endpoints.OpenSslCalls.SSL;
import static io.ticketkeeper.endpoints.OpenSslCalls.check;

import io.ticketkeeper.openssl.LibSsl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * One end of a TLS connection over a real socket: OpenSSL reads and writes a BIO pair, and this class moves the
 * bytes between the pair's network side and the socket, as Tomcat's FFM connector and Netty do. Used by the harness,
 * and by {@code ticketkeeper serve} and {@code probe}. The caller keeps owning the {@code SSL *} and the socket;
 * {@link #close()} frees the BIO pair's network half.
 */
public final class SocketPeer implements AutoCloseable {
    private static final int BUFFER_SIZE = 17 * 1024;

    private final long ssl;
    private final long networkBio;
    /** Network bytes between the socket and the BIO pair. */
    private final byte[] buffer = new byte[BUFFER_SIZE];
    /** Where {@link #readSome} has OpenSSL put application data: one buffer for the connection's life. */
    private final byte[] readBuffer = new byte[BUFFER_SIZE];
    private final InputStream in;
    private final OutputStream out;

    /** Joins {@code ssl} (an {@code SSL *}) to {@code socket} through a new BIO pair. */
    public SocketPeer(long ssl, Socket socket) throws IOException {
        this.ssl = ssl;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        long[] pair = SSL.BIO_new_bio_pair();
        check(pair == null ? 0 : 1, "BIO_new_bio_pair");
        this.networkBio = pair[1];
        SSL.SSL_set_bio(ssl, pair[0], pair[0]);
    }

    public void handshake() throws IOException {
        while (true) {
            int result = SSL.SSL_do_handshake(ssl);
            flush();
            if (result == 1) {
                return;
            }
            awaitProgress(result, "handshake");
        }
    }

    /**
     * On a server connection before its handshake: reads the TLS 1.3 early data the client sent until OpenSSL says
     * there is no more (SSL_READ_EARLY_DATA_FINISH): none offered, refused (the client sends it again after the
     * handshake), or all read. OpenSSL bounds it by the context's recv_max_early_data; more than {@code max} bytes
     * fail. Returns what was read, possibly nothing; the handshake goes on with {@link #handshake()}.
     */
    public byte[] readEarlyData(int max) throws IOException {
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        long[] read = new long[1];
        while (true) {
            int result = SSL.SSL_read_early_data(ssl, readBuffer, readBuffer.length, read);
            flush();
            if (result == LibSsl.SSL_READ_EARLY_DATA_SUCCESS) {
                data.write(readBuffer, 0, (int) read[0]);
                if (data.size() > max) {
                    throw new IOException("more than " + max + " bytes of early data");
                }
                continue;
            }
            if (result == LibSsl.SSL_READ_EARLY_DATA_FINISH) {
                return data.toByteArray();
            }
            awaitProgress(result, "read early data");
        }
    }

    /**
     * On a client connection that offers a session whose ticket allows early data, before its handshake: sends
     * {@code data} as TLS 1.3 early data (SSL_write_early_data), with the ClientHello. Whether the server took it
     * is known after {@link #handshake()}: SSL_get_early_data_status; if refused, send it again.
     */
    public void writeEarlyData(byte[] data) throws IOException {
        long[] written = new long[1];
        while (true) {
            int result = SSL.SSL_write_early_data(ssl, data, data.length, written);
            flush();
            if (result == 1) {
                if (written[0] != data.length) {
                    throw new IOException("SSL_write_early_data wrote " + written[0] + " of " + data.length);
                }
                return;
            }
            awaitProgress(result, "write early data");
        }
    }

    public void write(byte[] data) throws IOException {
        int written = SSL.SSL_write(ssl, data, 0, data.length);
        flush();
        if (written != data.length) {
            throw new IOException("SSL_write returned " + written + ": " + OpenSslCalls.drainErrors());
        }
    }

    /** Reads until {@code length} bytes of application data arrived. */
    public byte[] read(int length) throws IOException {
        byte[] data = new byte[length];
        int total = 0;
        while (total < length) {
            int result = SSL.SSL_read(ssl, data, total, length - total);
            flush();
            if (result > 0) {
                total += result;
                continue;
            }
            awaitProgress(result, "read");
        }
        return data;
    }

    /**
     * Reads what application data arrives next, at most {@code max} bytes (and at most 17 KiB); null when the peer
     * closed the connection (close_notify, or the end of the stream).
     */
    public byte[] readSome(int max) throws IOException {
        int room = Math.min(max, BUFFER_SIZE);
        while (true) {
            int result = SSL.SSL_read(ssl, readBuffer, 0, room);
            flush();
            if (result > 0) {
                return Arrays.copyOf(readBuffer, result);
            }
            if (SSL.SSL_get_error(ssl, result) == LibSsl.SSL_ERROR_ZERO_RETURN) {
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
        SSL.SSL_shutdown(ssl);
        flush();
    }

    private void awaitProgress(int result, String what) throws IOException {
        int error = SSL.SSL_get_error(ssl, result);
        if (error == LibSsl.SSL_ERROR_WANT_READ) {
            fill();
            return;
        }
        if (error != LibSsl.SSL_ERROR_WANT_WRITE) {
            throw new IOException(what + " failed (SSL error " + error + "): " + OpenSslCalls.drainErrors());
        }
    }

    private void flush() throws IOException {
        long pending;
        while ((pending = SSL.BIO_ctrl_pending(networkBio)) > 0) {
            int n = SSL.BIO_read(networkBio, buffer, 0, (int) Math.min(pending, BUFFER_SIZE));
            out.write(buffer, 0, n);
        }
        out.flush();
    }

    private void fill() throws IOException {
        int room = (int) Math.min(SSL.BIO_ctrl_get_write_guarantee(networkBio), BUFFER_SIZE);
        int n = in.read(buffer, 0, Math.max(1, room));
        if (n < 0) {
            throw new PeerClosedException();
        }
        if (SSL.BIO_write(networkBio, buffer, 0, n) != n) {
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
        SSL.BIO_free(networkBio);
    }
}

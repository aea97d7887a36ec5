package io.ticketkeeper.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A loopback TCP proxy for one connection that keeps every byte the client sent, so that a test can replay them
 * raw, as an attacker on the path would: the same ClientHello and the same early data, byte for byte.
 */
final class CaptureProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    private final Thread relay;

    CaptureProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.relay = new Thread(this::relayOne, "capture-proxy");
        relay.setDaemon(true);
        relay.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void relayOne() {
        try (Socket client = listener.accept(); Socket server = new Socket(InetAddress.getLoopbackAddress(), target)) {
            Thread back = new Thread(() -> copy(server, client, null), "capture-proxy-back");
            back.setDaemon(true);
            back.start();
            copy(client, server, fromClient);
            back.join(10_000);
        } catch (IOException | InterruptedException e) {
            // the connection ended; what was captured stays
        }
    }

    private static void copy(Socket from, Socket to, ByteArrayOutputStream keep) {
        byte[] buffer = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (keep != null) {
                    synchronized (keep) {
                        keep.write(buffer, 0, n);
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    /** Every byte the client sent, once its connection ended. */
    byte[] captured() throws InterruptedException {
        relay.join(10_000);
        synchronized (fromClient) {
            return fromClient.toByteArray();
        }
    }

    /**
     * Sends {@code bytes} raw to {@code port} and reads what comes back until the server closes or is silent for a
     * second: the replayer has no keys, so the handshake it starts cannot finish.
     */
    static void replay(byte[] bytes, int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[16384];
            try {
                while (in.read(sink) >= 0) {
                    // drain
                }
            } catch (SocketTimeoutException e) {
                // silent: done
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}

package io.ticketkeeper;

import io.ticketkeeper.internal.Backend;
import io.ticketkeeper.internal.Backends;

import java.util.Objects;

/**
 * Installs TicketKeeper on server {@code SSL_CTX}s.
 *
 * <pre>{@code
 * // One context:
 * try (TicketKeeperHandle handle = TicketKeeper.install(sslCtxAddress, TicketKeeperOptions.builder()
 *         .keys(TicketKey.generate())
 *         .policy(TicketPolicy.defaults(Duration.ofHours(12), Duration.ofHours(6)))
 *         .build())) {
 *     // serve; handle.setKeys(...) rotates; handle.stats() counts
 * }
 *
 * // The virtual hosts of one server: one key ring, policy and totals; tickets bound to their host.
 * TicketKeeperHandle handle = TicketKeeper.install(TicketKeeperOptions.builder()
 *         .keySource(KeyFiles.of(KeyFileFormat.NGINX, Path.of("ticket.key")))
 *         .build());
 * TicketContext a = handle.attach(sslCtxOfA, "a.test");
 * TicketContext b = handle.attach(sslCtxOfB, "b.test");
 * // a.stats(), b.stats(), handle.stats(); a.detach() on reload
 * }</pre>
 */
public final class TicketKeeper {
    private TicketKeeper() {
    }

    /**
     * The backend this runtime uses: {@code "ffm"} (Panama, Java 23+) or {@code "jna"} (Java 17 to 22, or forced with
     * {@code -Dticketkeeper.backend=jna}).
     *
     * @throws TicketKeeperException when none fits this runtime; the message says why
     */
    public static String backend() {
        return Backends.get().name();
    }

    /**
     * How this runtime's ticket upcalls reach Java: {@code "ffm"} (Panama upcall stubs, on the FFM backend),
     * {@code "jni"} (the native library's JNI bridge, the JNA backend's default where its native library has one) or
     * {@code "jna"} (JNA callbacks; force with {@code -Dticketkeeper.jna.upcalls=jna}).
     *
     * @throws TicketKeeperException when no backend fits this runtime; the message says why
     */
    public static String upcalls() {
        return Backends.get().upcalls();
    }

    /** The backend and, where it differs, its upcall path, for banners: "ffm", "jna (jni upcalls)". */
    public static String backendDescription() {
        Backend backend = Backends.get();
        return backend.name().equals(backend.upcalls()) ? backend.name()
                : backend.name() + " (" + backend.upcalls() + " upcalls)";
    }

    /** Installs with {@link TicketKeeperOptions#defaults()}. */
    public static TicketKeeperHandle install(long sslCtx) {
        return install(sslCtx, TicketKeeperOptions.defaults());
    }

    /**
     * Installs TicketKeeper's ticket callbacks on the server context at address {@code sslCtx} (an OpenSSL
     * {@code SSL_CTX *}) and publishes the options' keys: a handle with this one context, attached without a host
     * name ({@link TicketKeeperHandle#attach(long)}). Do not install while the context is handshaking.
     *
     * @throws TicketKeeperException when no backend fits this runtime (the message says why), the context already
     *     has a handle, or OpenSSL fails
     */
    public static TicketKeeperHandle install(long sslCtx, TicketKeeperOptions options) {
        if (sslCtx == 0) {
            throw new IllegalArgumentException("sslCtx is NULL");
        }
        return install(options).attachInstallContext(sslCtx);
    }

    /**
     * Makes a handle with the options' keys, policy and session cache and no context yet: attach the contexts of
     * the server's virtual hosts with {@link TicketKeeperHandle#attach(long, String)}.
     *
     * @throws TicketKeeperException when no backend fits this runtime (the message says why), or the key source
     *     fails
     */
    public static TicketKeeperHandle install(TicketKeeperOptions options) {
        return new TicketKeeperHandle(Backends.get(), Objects.requireNonNull(options, "options"));
    }

    /**
     * Key-management mode, for TLS stacks on which TicketKeeper's callbacks cannot be installed (Netty on
     * netty-tcnative-boringssl-static): the options' keys or key source (rotation, key files, a fleet's Redis) drive
     * the stack's own ticket keys through {@code exporter}, on every change of the keys or of the key that seals, at
     * the latest one {@link KeySource#checkInterval()} after it. No native library is loaded and no policy runs: the
     * stack seals with the first key it is given and opens with any. Each exported key keeps its ring key's name;
     * its secrets ({@code secretLength} bytes of HMAC key, as many of AES key) are derived from the ring key's with
     * HKDF-SHA256 (salt: the name, info: {@code label}), so every server that shares a ring derives the same keys
     * and none equals a key used elsewhere. The handle has no contexts ({@code attach} throws), counts nothing per
     * ticket, and keeps its key ring's stats and events; closing it stops the refreshes and leaves the stack with
     * the keys it holds.
     *
     * @throws IllegalArgumentException when the label is empty, {@code secretLength} is neither 16 nor 32, or the
     *     options name a session cache (key-management mode installs no callbacks)
     * @throws TicketKeeperException when the key source fails at the first refresh
     * @throws RuntimeException what {@code exporter} throws at the first export
     */
    public static TicketKeeperHandle manageKeys(TicketKeeperOptions options, String label, int secretLength,
            KeyExporter exporter) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(exporter, "exporter");
        if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException("the derivation label is empty: name the stack the keys are for");
        }
        if (secretLength != 16 && secretLength != 32) {
            throw new IllegalArgumentException("secretLength must be 16 or 32 bytes, was " + secretLength);
        }
        if (options.sessionCache().isPresent()) {
            throw new IllegalArgumentException("key-management mode installs no callbacks, so no session cache ("
                    + options.sessionCache().get() + "): leave it out of the options");
        }
        return new TicketKeeperHandle(KeyExportInstallation.backend(label, secretLength, exporter), options);
    }
}

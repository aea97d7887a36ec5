package io.ticketkeeper.tomcat;

import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtil;
import org.apache.tomcat.util.net.openssl.panama.OpenSSLImplementation;

/**
 * Tomcat's FFM OpenSSL connector with TicketKeeper in charge of its session tickets. Name it in a connector:
 * {@code sslImplementationName="io.ticketkeeper.tomcat.TicketKeeperSslImplementation"}.
 *
 * <p>Tomcat makes one instance per connector, and one {@code SSL_CTX} per virtual host ({@code SSLHostConfig}) and
 * certificate. This instance installs one {@link TicketKeeperHandle} for the connector when the first context is
 * made, and attaches every context to it under its {@code SSLHostConfig}'s host name, so that all hosts share one
 * key ring, policy and counters and each ticket resumes only on the host it was sealed for.
 *
 * <p>Reloads ({@code reloadSslHostConfigs()}) make new contexts and leave the old ones to connections still using
 * them; Tomcat frees an old context once it is unreachable, and the handle lets it go then. {@code destroy()} on a
 * context (connector stop) detaches it first; when the connector's current contexts are all destroyed, the handle
 * closes with its key thread.
 *
 * <p>The handle's options come from {@link #options()}: by default {@link TicketKeeperProperties#load()}, a small
 * properties file. Embedded servers may subclass and override {@link #options()} instead, and name the subclass.
 */
public class TicketKeeperSslImplementation extends OpenSSLImplementation {
    private static final Set<TicketKeeperHandle> OPEN_HANDLES = ConcurrentHashMap.newKeySet();

    private TicketKeeperHandle handle;
    /** Each certificate's newest context: the ones a connector stop destroys. Older ones are Tomcat's to free. */
    private final Map<SSLHostConfigCertificate, TicketKeeperSslContext> current = new IdentityHashMap<>();

    @Override
    public SSLUtil getSSLUtil(SSLHostConfigCertificate certificate) {
        return new TicketKeeperSslUtil(certificate, this);
    }

    /**
     * The options of this connector's handle, asked once per handle. Override to configure TicketKeeper in code.
     *
     * @throws IllegalArgumentException naming the file, the setting and the value when the configuration is wrong
     */
    protected TicketKeeperOptions options() {
        return TicketKeeperProperties.load();
    }

    /** This connector's handle, or empty before its first context and after its connector stopped. */
    public synchronized Optional<TicketKeeperHandle> handle() {
        return Optional.ofNullable(handle);
    }

    /** The handles that instances of this class have open now, one per running connector. */
    public static Set<TicketKeeperHandle> openHandles() {
        return Set.copyOf(OPEN_HANDLES);
    }

    synchronized TicketContext attach(TicketKeeperSslContext context, SSLHostConfigCertificate certificate,
            long sslCtx, String hostName) {
        if (handle == null) {
            handle = TicketKeeper.install(options());
            OPEN_HANDLES.add(handle);
        }
        TicketContext attached = handle.attach(sslCtx, hostName);
        current.put(certificate, context);
        return attached;
    }

    synchronized void destroyed(TicketKeeperSslContext context, SSLHostConfigCertificate certificate,
            TicketContext attached) {
        if (attached.state() == TicketContext.State.ATTACHED) {
            attached.detach();
        }
        current.remove(certificate, context);
        if (current.isEmpty() && handle != null) {
            OPEN_HANDLES.remove(handle);
            handle.close();
            handle = null;
        }
    }
}

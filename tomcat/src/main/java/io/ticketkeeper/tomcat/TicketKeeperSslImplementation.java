package io.ticketkeeper.tomcat;

import io.ticketkeeper.TicketContext;
import io.ticketkeeper.TicketKeeper;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.TicketKeeperOptions;
import io.ticketkeeper.TicketStats;
import io.ticketkeeper.jmx.TicketKeeperJmx;

import java.security.KeyManagementException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.management.ObjectName;
import javax.net.ssl.SSLSession;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLImplementation;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SSLUtil;
import org.apache.tomcat.util.net.openssl.OpenSSLStatus;

/**
 * Tomcat's OpenSSL connectors with TicketKeeper in charge of their session tickets. Name it in a connector:
 * {@code sslImplementationName="io.ticketkeeper.tomcat.TicketKeeperSslImplementation"}, on Java 17 or newer.
 *
 * <p>It drives the OpenSSL connector that Tomcat itself would pick, by Tomcat's own rule: the FFM connector
 * (Tomcat 11's {@code tomcat-coyote-ffm}, Java 22+) when {@code OpenSSLLifecycleListener} made OpenSSL available,
 * else tomcat-native's JNI connector when {@code AprLifecycleListener} loaded tomcat-native (Tomcat 10.1 and 11,
 * Java 17+), else the FFM connector where it can run. {@code -Dticketkeeper.tomcat.connector=ffm} or
 * {@code tcnative} forces one.
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
 * It logs one INFO line when the connector's contexts are in place and one when the handle closes, and registers
 * the handle as an MXBean ({@code io.ticketkeeper:type=TicketKeeper,name="tomcat-N"}) unless {@code jmx = false}.
 */
public class TicketKeeperSslImplementation extends SSLImplementation {
    /** The system property that forces a connector: {@code ffm} or {@code tcnative}. */
    public static final String CONNECTOR_PROPERTY = "ticketkeeper.tomcat.connector";

    /** java.util.logging, which Tomcat's JULI routes into Tomcat's own log (catalina.out, the console). */
    private static final Logger LOG = Logger.getLogger(TicketKeeperSslImplementation.class.getName());
    private static final Set<TicketKeeperHandle> OPEN_HANDLES = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger HANDLES = new AtomicInteger();
    /**
     * The start line waits until no context joined for this long: Tomcat makes a connector's contexts in a row. A
     * host whose context joins later gets a line of its own.
     */
    private static final long START_LINE_DELAY_MILLIS = 1000;

    private final TomcatConnector connector;
    private TicketKeeperHandle handle;
    private TicketKeeperOptions options;
    private TicketKeeperProperties.Settings settings;
    private ObjectName objectName;
    private String name;
    private int joined;
    private boolean started;
    private final Set<String> announced = new TreeSet<>();
    /** Each certificate's newest context: the ones a connector stop destroys. Older ones are Tomcat's to free. */
    private final Map<SSLHostConfigCertificate, Object> current = new HashMap<>();

    /** Picks the connector Tomcat would (see the class comment). */
    public TicketKeeperSslImplementation() {
        this.connector = choose();
    }

    private static TomcatConnector choose() {
        String forced = System.getProperty(CONNECTOR_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        boolean ffmRuns = Runtime.version().feature() >= 22
                && present("org.apache.tomcat.util.net.openssl.panama.OpenSSLImplementation");
        switch (forced) {
            case "ffm":
                return ffm(ffmRuns);
            case "tcnative":
                return new TcnativeConnector();
            case "":
                break;
            default:
                throw new IllegalArgumentException("-D" + CONNECTOR_PROPERTY + "=" + forced
                        + ": expected ffm or tcnative");
        }
        if (ffmRuns && OpenSSLStatus.getUseOpenSSL() && OpenSSLStatus.isAvailable()) {
            return ffm(true);
        }
        if (tcnativeLoaded()) {
            return new TcnativeConnector();
        }
        if (ffmRuns) {
            return ffm(true);
        }
        throw new IllegalStateException("TicketKeeper found no OpenSSL connector in this Tomcat: on Java "
                + Runtime.version().feature() + " add tomcat-native (Tomcat's AprLifecycleListener loads it), or run "
                + "Tomcat 11 with tomcat-coyote-ffm.jar on Java 22 or newer");
    }

    private static TomcatConnector ffm(boolean runs) {
        if (!runs) {
            throw new IllegalStateException("Tomcat's FFM connector needs Java 22+ and tomcat-coyote-ffm.jar (Tomcat "
                    + "11's lib/); this is Java " + Runtime.version().feature());
        }
        try {
            return (TomcatConnector) Class.forName("io.ticketkeeper.tomcat.FfmConnector")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load TicketKeeper's FFM connector: " + e, e);
        }
    }

    /** Whether AprLifecycleListener loaded tomcat-native: Library.initialize() sets its version then. */
    private static boolean tcnativeLoaded() {
        try {
            return org.apache.tomcat.jni.Library.TCN_MAJOR_VERSION != 0;
        } catch (LinkageError noTcnativeClasses) {
            return false;
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, TicketKeeperSslImplementation.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public SSLSupport getSSLSupport(SSLSession session, Map<String, List<String>> additionalAttributes) {
        return connector.tomcat().getSSLSupport(session, additionalAttributes);
    }

    @Override
    public SSLUtil getSSLUtil(SSLHostConfigCertificate certificate) {
        return connector.sslUtil(certificate, this);
    }

    /** Tomcat 9's SSLImplementation asks this; Tomcat's OpenSSL connectors all negotiate ALPN. */
    public boolean isAlpnSupported() {
        return true;
    }

    /** The connector this instance drives: "ffm" or "tcnative 1.2.35 (OpenSSL ...)". */
    public String connector() {
        return connector.description();
    }

    /**
     * The options of this connector's handle, asked once per handle. Override to configure TicketKeeper in code.
     *
     * @throws IllegalArgumentException naming the file, the setting and the value when the configuration is wrong
     */
    protected TicketKeeperOptions options() {
        return settings().options();
    }

    /** Whether to register the handle as an MXBean: the {@code jmx} setting, true unless set to false. */
    protected boolean jmx() {
        return settings().jmx();
    }

    private TicketKeeperProperties.Settings settings() {
        if (settings == null) {
            settings = TicketKeeperProperties.settings();
        }
        return settings;
    }

    /** This connector's handle, or empty before its first context and after its connector stopped. */
    public synchronized Optional<TicketKeeperHandle> handle() {
        return Optional.ofNullable(handle);
    }

    /** The handles that instances of this class have open now, one per running connector. */
    public static Set<TicketKeeperHandle> openHandles() {
        return Set.copyOf(OPEN_HANDLES);
    }

    synchronized TicketContext attach(Object context, SSLHostConfigCertificate certificate, long sslCtx,
            String hostName) {
        if (handle == null) {
            try {
                options = options();
            } catch (IllegalArgumentException e) {
                throw new SettingsError(e);
            }
            handle = TicketKeeper.install(options);
            OPEN_HANDLES.add(handle);
            name = "tomcat-" + HANDLES.incrementAndGet();
            started = false;
            registerJmx();
        }
        TicketContext attached = handle.attach(sslCtx, hostName);
        current.put(certificate, context);
        String host = hostName == null ? "(default)" : hostName;
        if (started && announced.add(host)) {
            info("TicketKeeper [" + name + "] serves " + host + " too, in " + handle.contexts().size()
                    + " contexts");
        }
        int generation = ++joined;
        TicketKeeperHandle joinedHandle = handle;
        CompletableFuture.delayedExecutor(START_LINE_DELAY_MILLIS, TimeUnit.MILLISECONDS)
                .execute(() -> startLine(joinedHandle, generation));
        return attached;
    }

    private void registerJmx() {
        objectName = null;
        boolean register;
        try {
            register = jmx();
        } catch (IllegalArgumentException e) {
            throw new SettingsError(e);
        }
        if (!register) {
            return;
        }
        try {
            objectName = TicketKeeperJmx.register(handle, name);
        } catch (RuntimeException e) {
            LOG.warning("TicketKeeper [" + name + "]: no MXBean: " + e.getMessage());
        }
    }

    private synchronized void startLine(TicketKeeperHandle joinedHandle, int generation) {
        if (joinedHandle != handle || generation != joined || started) {
            return;
        }
        started = true;
        Set<String> hosts = new TreeSet<>();
        for (TicketContext context : handle.contexts()) {
            hosts.add(context.hostName().orElse("(default)"));
        }
        announced.addAll(hosts);
        info("TicketKeeper [" + name + "] runs: backend " + TicketKeeper.backendDescription() + ", connector "
                + connector.description() + ", keys " + options.keySource().map(Object::toString)
                        .orElse(options.keys().map(keys -> keys.size() + " fixed keys").orElse("one generated key, never rotated"))
                + " (" + settingsSource() + "), hosts " + hosts + " in " + handle.contexts().size() + " contexts"
                + ", session cache " + options.sessionCache().map(Object::toString).orElse("none")
                + ", JMX " + (objectName == null ? "off" : objectName.toString()));
    }

    /**
     * Writes a start or stop line. By default to java.util.logging, which Tomcat's JULI routes into Tomcat's log; an
     * embedding whose JUL bridge is gone by the time the connector stops (the JVM's shutdown resets JUL) overrides it.
     */
    protected void info(String line) {
        LOG.info(line);
    }

    /** Where the options came from, for the start line: the file, or the subclass that gave them. */
    protected String settingsSource() {
        return settings == null ? "options() of " + getClass().getName() : settings.source();
    }

    synchronized void destroyed(Object context, SSLHostConfigCertificate certificate, TicketContext attached) {
        if (attached.state() == TicketContext.State.ATTACHED) {
            attached.detach();
        }
        current.remove(certificate, context);
        if (current.isEmpty() && handle != null) {
            TicketStats totals = handle.stats();
            OPEN_HANDLES.remove(handle);
            if (objectName != null) {
                TicketKeeperJmx.unregister(objectName);
                objectName = null;
            }
            handle.close();
            handle = null;
            announced.clear();
            options = null;
            settings = null;
            info("TicketKeeper [" + name + "] stopped: sealed " + totals.sealed() + ", resumed "
                    + totals.resumed() + ", renewed " + totals.renewed() + ", rejected " + totals.rejectedUnknownKey()
                    + " unknown key, " + totals.rejectedByPolicy() + " by policy, " + totals.rejectedOtherHost()
                    + " other host, aborted " + totals.aborted() + ", errors "
                    + (totals.policyErrors() + totals.upcallErrors() + totals.cryptoErrors()));
        }
    }

    /**
     * What a context's init throws when it cannot join: a settings error as it is (it names the file, the setting
     * and the value), anything else with the host whose context could not join.
     */
    static KeyManagementException failure(String hostName, RuntimeException e) {
        KeyManagementException failure = e instanceof SettingsError
                ? new KeyManagementException("TicketKeeper: " + e.getMessage())
                : new KeyManagementException("TicketKeeper could not join the SSL_CTX of the host '" + hostName
                        + "': " + e.getMessage());
        failure.initCause(e instanceof SettingsError ? e.getCause() : e);
        return failure;
    }

    /** A wrong setting, as opposed to a context that could not join. */
    private static final class SettingsError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SettingsError(IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
        }
    }
}

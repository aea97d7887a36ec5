package io.ticketkeeper.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code ticketkeeper.*} properties. Every one is optional; the certificates come from Spring's own SSL
 * settings ({@code server.ssl.bundle}, {@code server.ssl.server-name-bundles}). They are the settings of
 * {@code ticketkeeper-tomcat}'s properties file under Spring's names, and {@code ticketkeeper-tomcat} reads them.
 */
@ConfigurationProperties("ticketkeeper")
public class TicketKeeperSpringProperties {
    /** Whether TicketKeeper takes charge of the session tickets of the server's HTTPS connector. */
    private boolean enabled = true;
    private final Keys keys = new Keys();
    private final Policy policy = new Policy();
    /**
     * Groups of hosts whose tickets resume on each other, one group per entry, host names separated by spaces (for
     * example "a.test b.test"). Without a group a ticket resumes only on the host that it was sealed for.
     */
    private List<String> shareTickets = new ArrayList<>();
    /** The session id context every host is given: "nginx" (to share tickets with nginx) or hex bytes. */
    private String sessionIdContext;
    /** Whether hosts resume tickets bound to no host (nginx's, from shared keys). */
    private boolean acceptUnboundTickets;
    private final SessionCache sessionCache = new SessionCache();
    private final Jmx jmx = new Jmx();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Keys getKeys() {
        return keys;
    }

    public Policy getPolicy() {
        return policy;
    }

    public List<String> getShareTickets() {
        return shareTickets;
    }

    public void setShareTickets(List<String> shareTickets) {
        this.shareTickets = shareTickets;
    }

    public String getSessionIdContext() {
        return sessionIdContext;
    }

    public void setSessionIdContext(String sessionIdContext) {
        this.sessionIdContext = sessionIdContext;
    }

    public boolean isAcceptUnboundTickets() {
        return acceptUnboundTickets;
    }

    public void setAcceptUnboundTickets(boolean acceptUnboundTickets) {
        this.acceptUnboundTickets = acceptUnboundTickets;
    }

    public SessionCache getSessionCache() {
        return sessionCache;
    }

    public Jmx getJmx() {
        return jmx;
    }

    /** Where the ticket keys come from. */
    public static class Keys {
        /**
         * "rotation" (keys generated in memory, rotated), "files" (key files, as nginx and HAProxy use them) or a
         * fleet's Redis URI (redis://, rediss://, redis-sentinel://, redis-cluster://; needs io.lettuce:lettuce-core).
         */
        private String source = "rotation";
        /** Rotation: how long a key seals new tickets; a fleet: its period. */
        private Duration sealFor = Duration.ofHours(1);
        /** Rotation: how long a key then still opens tickets. */
        private Duration openFor = Duration.ofHours(12);
        /** Files: the key files, the first seals, all open; reloaded every 10 s. */
        private List<String> files = new ArrayList<>();
        /** Files: nginx (80 or 48 bytes), openssl-80, nginx-48, openssl-48 or haproxy. */
        private String format = "nginx";
        /** A fleet: the keys that wrap ticket keys in Redis, ID:BASE64 (32 bytes); the first wraps. */
        private List<String> wrappingKeys = new ArrayList<>();

        public String getSource() {
            return source;
        }

        public void setSource(String source) {
            this.source = source;
        }

        public Duration getSealFor() {
            return sealFor;
        }

        public void setSealFor(Duration sealFor) {
            this.sealFor = sealFor;
        }

        public Duration getOpenFor() {
            return openFor;
        }

        public void setOpenFor(Duration openFor) {
            this.openFor = openFor;
        }

        public List<String> getFiles() {
            return files;
        }

        public void setFiles(List<String> files) {
            this.files = files;
        }

        public String getFormat() {
            return format;
        }

        public void setFormat(String format) {
            this.format = format;
        }

        public List<String> getWrappingKeys() {
            return wrappingKeys;
        }

        public void setWrappingKeys(List<String> wrappingKeys) {
            this.wrappingKeys = wrappingKeys;
        }
    }

    /** Which tickets resume. */
    public static class Policy {
        /** "default", or the name of a TicketPolicy class with a public no-argument constructor. */
        private String className = "default";
        /** The default policy: the oldest ticket that resumes. */
        private Duration maxAge = Duration.ofHours(12);
        /** The default policy: the age from which a resumed ticket is renewed (default: half of max-age). */
        private Duration renewAfter;

        public String getClassName() {
            return className;
        }

        public void setClassName(String className) {
            this.className = className;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }

        public Duration getRenewAfter() {
            return renewAfter;
        }

        public void setRenewAfter(Duration renewAfter) {
            this.renewAfter = renewAfter;
        }
    }

    /** Stateful resumption (session ids) beside tickets. */
    public static class SessionCache {
        /** "none", "memory[:SIZE]", or a Redis URI (needs io.lettuce:lettuce-core). */
        private String store = "none";
        /** Redis: the keys that seal cached sessions, ID:BASE64 (32 bytes); the first seals. */
        private List<String> sealingKeys = new ArrayList<>();

        public String getStore() {
            return store;
        }

        public void setStore(String store) {
            this.store = store;
        }

        public List<String> getSealingKeys() {
            return sealingKeys;
        }

        public void setSealingKeys(List<String> sealingKeys) {
            this.sealingKeys = sealingKeys;
        }
    }

    /** The handle as an MXBean. */
    public static class Jmx {
        /** Whether each connector's handle is registered as io.ticketkeeper:type=TicketKeeper,name="tomcat-N". */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}

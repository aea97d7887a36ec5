package io.ticketkeeper.jmx;

import io.ticketkeeper.KeyStats;
import io.ticketkeeper.TicketKeeperException;
import io.ticketkeeper.TicketKeeperHandle;
import io.ticketkeeper.session.SessionCacheStats;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers a handle as an MXBean named {@code io.ticketkeeper:type=TicketKeeper,name=<name>} on the platform
 * MBean server, and unregisters it.
 */
public final class TicketKeeperJmx implements TicketKeeperMXBean {
    private final TicketKeeperHandle handle;

    private TicketKeeperJmx(TicketKeeperHandle handle) {
        this.handle = handle;
    }

    /**
     * Registers {@code handle} under {@code name} (for example the listener it serves) and returns the object
     * name; unregister it before or when the handle closes.
     *
     * @throws TicketKeeperException when the name is taken or invalid
     */
    public static ObjectName register(TicketKeeperHandle handle, String name) {
        Objects.requireNonNull(handle, "handle");
        try {
            ObjectName objectName = objectName(name);
            ManagementFactory.getPlatformMBeanServer().registerMBean(new TicketKeeperJmx(handle), objectName);
            return objectName;
        } catch (JMException e) {
            throw new TicketKeeperException("could not register the TicketKeeper MXBean '" + name + "': " + e, e);
        }
    }

    /** Unregisters {@code objectName}; nothing happens when it is not registered. */
    public static void unregister(ObjectName objectName) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName);
            }
        } catch (JMException e) {
            throw new TicketKeeperException("could not unregister " + objectName + ": " + e, e);
        }
    }

    static ObjectName objectName(String name) throws JMException {
        return new ObjectName("io.ticketkeeper:type=TicketKeeper,name=" + ObjectName.quote(name));
    }

    @Override
    public long getSealed() {
        return handle.stats().sealed();
    }

    @Override
    public long getResumed() {
        return handle.stats().resumed();
    }

    @Override
    public long getRenewed() {
        return handle.stats().renewed();
    }

    @Override
    public long getRejectedUnknownKey() {
        return handle.stats().rejectedUnknownKey();
    }

    @Override
    public long getRejectedByPolicy() {
        return handle.stats().rejectedByPolicy();
    }

    @Override
    public long getRejectedOtherHost() {
        return handle.stats().rejectedOtherHost();
    }

    @Override
    public long getRejectedUnbound() {
        return handle.stats().rejectedUnbound();
    }

    @Override
    public long getRejectedReusedTicket() {
        return handle.stats().rejectedReusedTicket();
    }

    @Override
    public long getRejectedUncheckedTicket() {
        return handle.stats().rejectedUncheckedTicket();
    }

    @Override
    public long getUnstampedTicketsRefused() {
        return handle.stats().unstampedTicketsRefused();
    }

    @Override
    public long getForeignTickets() {
        return handle.stats().foreignTickets();
    }

    @Override
    public int getContexts() {
        return handle.contexts().size();
    }

    @Override
    public long getAborted() {
        return handle.stats().aborted();
    }

    @Override
    public long getPolicyErrors() {
        return handle.stats().policyErrors();
    }

    @Override
    public long getUpcallErrors() {
        return handle.stats().upcallErrors();
    }

    @Override
    public long getCryptoErrors() {
        return handle.stats().cryptoErrors();
    }

    @Override
    public int getKeys() {
        return handle.keyRingStats().keyCount();
    }

    @Override
    public long getKeyGeneration() {
        return handle.keyRingStats().generation();
    }

    @Override
    public long getKeysStaged() {
        return handle.keyRingStats().staged();
    }

    @Override
    public long getKeysPromoted() {
        return handle.keyRingStats().promoted();
    }

    @Override
    public long getKeysRetired() {
        return handle.keyRingStats().retired();
    }

    @Override
    public long getKeysExpired() {
        return handle.keyRingStats().expired();
    }

    @Override
    public long getKeyLoadFailures() {
        return handle.keyRingStats().loadFailures();
    }

    @Override
    public long getKeysFetched() {
        return handle.keyRingStats().fetched();
    }

    @Override
    public long getKeysRefused() {
        return handle.keyRingStats().refused();
    }

    @Override
    public String getKeySourceState() {
        return handle.keyRingStats().source().state().name();
    }

    @Override
    public long getKeySourceFailures() {
        return handle.keyRingStats().source().failures();
    }

    @Override
    public String getKeySourceDetail() {
        return handle.keyRingStats().source().detail();
    }

    @Override
    public long getUnsealed() {
        return handle.stats().unsealed();
    }

    @Override
    public String[] getKeyDetails() {
        List<KeyStats> keys = handle.keyStats();
        String[] lines = new String[keys.size()];
        for (int i = 0; i < lines.length; i++) {
            KeyStats key = keys.get(i);
            lines[i] = key.key() + " " + key.state() + " sealed=" + key.sealed() + " opened=" + key.opened()
                    + " rejected=" + key.rejected() + " notBefore=" + key.notBefore() + " sealUntil="
                    + key.sealUntil() + " openUntil=" + key.openUntil();
        }
        return lines;
    }

    @Override
    public long refreshKeys() {
        return handle.refreshKeys().generation();
    }

    @Override
    public long getSessionLookups() {
        return sessionCache(SessionCacheStats::lookups);
    }

    @Override
    public long getSessionHits() {
        return sessionCache(SessionCacheStats::hits);
    }

    @Override
    public long getSessionMisses() {
        return sessionCache(SessionCacheStats::misses);
    }

    @Override
    public long getSessionStoreFailures() {
        return sessionCache(SessionCacheStats::storeFailures);
    }

    private long sessionCache(ToLongFunction<SessionCacheStats> count) {
        return handle.sessionCacheStats().map(count::applyAsLong).orElse(0L);
    }
}

package io.ticketkeeper.jmx;

/** One handle's counters and key ring as JMX attributes, and a key refresh as an operation. */
public interface TicketKeeperMXBean {
    long getSealed();

    long getResumed();

    long getRenewed();

    long getRejectedUnknownKey();

    long getRejectedByPolicy();

    /** Tickets sealed for another virtual host, answered with a full handshake. */
    long getRejectedOtherHost();

    /** Tickets bound to no host on a named host that does not accept them, answered with a full handshake. */
    long getRejectedUnbound();

    /** TLS 1.3 tickets presented again while single-use tickets are on, answered with a full handshake. */
    long getRejectedReusedTicket();

    /** TLS 1.3 tickets the single-use record could not vouch for, answered with a full handshake. */
    long getRejectedUncheckedTicket();

    /** New tickets not sent because they could not be stamped with their host. */
    long getUnstampedTicketsRefused();

    /** Tickets opened by another library's ticket key callback, neither decided nor counted as resumptions. */
    long getForeignTickets();

    /** The contexts attached now. */
    int getContexts();

    long getAborted();

    long getPolicyErrors();

    long getUpcallErrors();

    long getCryptoErrors();

    int getKeys();

    long getKeyGeneration();

    long getKeysStaged();

    long getKeysPromoted();

    long getKeysRetired();

    long getKeysExpired();

    long getKeyLoadFailures();

    /** Keys the key source learned from the fleet's other servers. */
    long getKeysFetched();

    /** Entries the key source could not use (kept out of the ring). */
    long getKeysRefused();

    /** LOCAL (the source needs no service), UP or DOWN. */
    String getKeySourceState();

    long getKeySourceFailures();

    /** Where the key source's service is, its last error, what the source may do there. */
    String getKeySourceDetail();

    /** New sessions that got no ticket because no key could seal. */
    long getUnsealed();

    /** Each key's display name, state and counters, one line per key. */
    String[] getKeyDetails();

    /** Refreshes the keys now (rotation, files); returns the new generation. */
    long refreshKeys();

    /** Session cache lookups; 0 without a session cache. */
    long getSessionLookups();

    long getSessionHits();

    long getSessionMisses();

    long getSessionStoreFailures();
}

package io.ticketkeeper.internal;

/**
 * The shim's codes for an attached context (include/ticketkeeper.h): its state (tk_context_state) and the findings
 * about it (tk_context_findings). A contract test holds these numbers to the header's.
 */
public final class ContextCodes {
    public static final int ATTACHED = 1;
    public static final int DETACHED = 2;
    public static final int FREED = 3;

    /** SSL_OP_NO_TICKET is set on the context. */
    public static final int FINDING_NO_TICKET = 0x1;
    /** The session cache replaced session cache callbacks another library had registered. */
    public static final int FINDING_CACHE_CALLBACKS_REPLACED = 0x2;

    private ContextCodes() {
    }
}

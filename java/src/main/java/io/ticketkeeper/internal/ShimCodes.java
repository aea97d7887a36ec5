package io.ticketkeeper.internal;

/**
 * Every code of the shim's ABI (the "Versions and codes" and "States and flags" sections of include/ticketkeeper.h)
 * as the release-17 code uses them: results, the upcalls' answers and safe outcomes, ticket statuses, context states,
 * findings and cache modes. One class, so that no backend keeps a copy; a contract test holds each number to the
 * header's (ShimContractFfmTest).
 */
public final class ShimCodes {
    /** TK_RESULTS: zero is success, every failure negative. */
    public static final int OK = 0;
    public static final int ERR_NULL = -1;
    public static final int ERR_BAD_ARG = -2;
    public static final int ERR_NOMEM = -3;
    public static final int ERR_BUFFER_TOO_SMALL = -4;
    public static final int ERR_OPENSSL = -5;
    public static final int ERR_CLOSED = -6;
    public static final int ERR_ATTACHED = -7;
    public static final int ERR_NOT_ATTACHED = -8;
    public static final int ERR_CONTEXT_FREED = -9;
    public static final int ERR_BAD_KEY = -10;
    public static final int ERR_DUPLICATE_KEY = -11;
    public static final int ERR_TOO_MANY_KEYS = -12;
    public static final int ERR_BAD_SESSION = -13;
    public static final int ERR_FOREIGN_CONTEXT = -14;

    /** tk_seal_answer: no ticket (the safe outcome, also what a dead upcall returns), or a slot was written. */
    public static final int SEAL_NONE = 0;
    public static final int SEAL_CHOSEN = 1;
    /** tk_stamp_answer: no stamp (the safe outcome: no ticket), or the stamp was written. */
    public static final int STAMP_NONE = 0;
    public static final int STAMP_STORED = 1;
    /** tk_key_decision: OpenSSL's ticket key callback's values; REJECT is the safe outcome. */
    public static final int KEY_ABORT = -1;
    public static final int KEY_REJECT = 0;
    public static final int KEY_USE = 1;
    public static final int KEY_RENEW = 2;
    /**
     * tk_session_decision; IGNORE_RENEW is the safe outcome. ABORT is -1, not 0: a dead upcall returns 0, which
     * must not abort (the shim counts it as a bad decision).
     */
    public static final int SESSION_ABORT = -1;
    public static final int SESSION_IGNORE = 1;
    public static final int SESSION_IGNORE_RENEW = 2;
    public static final int SESSION_USE = 3;
    public static final int SESSION_USE_RENEW = 4;
    /** tk_ticket_status, in the session view. */
    public static final int TICKET_EMPTY = 1;
    public static final int TICKET_NOT_OPENED = 2;
    public static final int TICKET_OPENED = 3;
    public static final int TICKET_OPENED_RENEW = 4;
    public static final int TICKET_FOREIGN = 5;

    /** tk_context_state. */
    public static final int CONTEXT_ATTACHED = 1;
    public static final int CONTEXT_DETACHED = 2;
    public static final int CONTEXT_FREED = 3;
    /** TK_FINDING_*: SSL_OP_NO_TICKET is set on the context. */
    public static final int FINDING_NO_TICKET = 0x1;
    /** TK_FINDING_*: the session cache replaced session cache callbacks another library had registered. */
    public static final int FINDING_CACHE_CALLBACKS_REPLACED = 0x2;
    /** tk_cache_mode. */
    public static final int CACHE_EXTERNAL = 1;
    public static final int CACHE_INTERNAL = 2;
    /** tk_early_data_answer. */
    public static final int EARLY_DATA_REFUSE = 0;
    public static final int EARLY_DATA_ACCEPT = 1;
    /** tk_early_data_state (OpenSSL's SSL_EARLY_DATA_*). */
    public static final int EARLY_DATA_NOT_SENT = 0;
    public static final int EARLY_DATA_REJECTED = 1;
    public static final int EARLY_DATA_ACCEPTED = 2;

    private ShimCodes() {
    }
}

package io.ticketkeeper.internal;

/**
 * The shim's ABI as the release-17 code reads it (the upcall body, {@link TicketUpcalls}, for every backend, and the
 * JNA backend): the API version, and the offsets of the structs that cross the boundary (include/ticketkeeper.h,
 * LP64). A contract test holds every number to the layout clang computes from the header (jextract's bindings).
 */
public final class ShimLayout {
    /** TK_API_VERSION of the header these offsets were read from. */
    public static final int API_VERSION = 6;

    /** struct tk_session_view. */
    public static final int VIEW_CONTEXT_ID = 0;
    public static final int VIEW_STATUS = 8;
    public static final int VIEW_PROTOCOL_VERSION = 12;
    public static final int VIEW_HAS_PEER_CERTIFICATE = 16;
    public static final int VIEW_HAS_STAMP = 20;
    public static final int VIEW_SESSION_TIME_S = 24;
    public static final int VIEW_KEY_GENERATION = 32;
    public static final int VIEW_KEY_SLOT = 40;
    public static final int VIEW_HAS_PEER_SHA256 = 44;
    public static final int VIEW_STAMP = 48;
    public static final int VIEW_PEER_SHA256 = 80;
    public static final int VIEW_SERVER_NAME = 112;
    public static final int VIEW_SERVER_NAME_LEN = 368;
    public static final int VIEW_HAS_TICKET_ID = 372;
    public static final int VIEW_TICKET_ID = 376;
    public static final int VIEW_SIZE = 408;
    /** TK_SHA256_LEN: the room for the client certificate's fingerprint in the session view. */
    public static final int SHA256_LEN = 32;
    /** TK_MAX_SERVER_NAME_LEN: the room for the server_name in the session view. */
    public static final int MAX_SERVER_NAME_LEN = 255;

    /** struct tk_early_data_view. */
    public static final int EARLY_CONTEXT_ID = 0;
    public static final int EARLY_PROTOCOL_VERSION = 8;
    public static final int EARLY_CIPHER_ID = 12;
    public static final int EARLY_MAX_EARLY_DATA = 16;
    public static final int EARLY_HAS_STAMP = 20;
    public static final int EARLY_STAMP = 32;
    public static final int EARLY_CLIENT_RANDOM = 64;
    public static final int EARLY_SERVER_NAME = 96;
    public static final int EARLY_SERVER_NAME_LEN = 352;
    public static final int EARLY_ALPN = 356;
    public static final int EARLY_ALPN_LEN = 612;
    public static final int EARLY_HAS_TICKET_ID = 616;
    public static final int EARLY_TICKET_ID = 620;
    public static final int EARLY_SIZE = 656;
    /** TK_CLIENT_RANDOM_LEN and TK_MAX_ALPN_LEN. */
    public static final int CLIENT_RANDOM_LEN = 32;
    public static final int MAX_ALPN_LEN = 255;
    /** TK_SHA256_LEN: the ticket id's length. */
    public static final int TICKET_ID_LEN = 32;

    /** struct tk_ticket_stamp. */
    public static final int STAMP_ISSUED_AT_MS = 0;
    public static final int STAMP_KEY_GENERATION = 8;
    public static final int STAMP_TAG = 16;
    public static final int STAMP_HOST_ID = 24;
    public static final int STAMP_SIZE = 32;

    /** tk_stats: five uint64_t counters, in their declaration order. */
    public static final int STATS_SIZE = 40;
    /** tk_cache_stats: four uint64_t counters, in their declaration order. */
    public static final int CACHE_STATS_SIZE = 32;

    /**
     * tk_upcalls: user, then the seal, open, stamp, session and early data functions; tk_cache_upcalls: user, then
     * the new, get and remove functions (pointers).
     */
    public static final int UPCALLS_USER = 0;
    public static final int UPCALLS_SEAL = 8;
    public static final int UPCALLS_OPEN = 16;
    public static final int UPCALLS_STAMP = 24;
    public static final int UPCALLS_SESSION = 32;
    public static final int UPCALLS_EARLY_DATA = 40;
    public static final int UPCALLS_SIZE = 48;
    public static final int CACHE_UPCALLS_USER = 0;
    public static final int CACHE_UPCALLS_NEW = 8;
    public static final int CACHE_UPCALLS_GET = 16;
    public static final int CACHE_UPCALLS_REMOVE = 24;
    public static final int CACHE_UPCALLS_SIZE = 32;

    private ShimLayout() {
    }
}

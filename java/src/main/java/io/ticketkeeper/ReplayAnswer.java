package io.ticketkeeper;

/** What a {@link ReplayRecord} answers for a ClientHello offering early data. Only {@link #FIRST} lets it in. */
public enum ReplayAnswer {
    /** Not seen within the window: recorded now. */
    FIRST,
    /** Seen within the window: a replay (or a client that sent the very same ClientHello twice). */
    REPLAY,
    /**
     * The record cannot tell: it started (or recovered) less than a window ago and the ticket is older than that,
     * so the same ClientHello may have been accepted before the record existed.
     */
    STARTING,
    /** The record is full: it cannot record this one, so it cannot refuse its replay later. */
    FULL,
    /** The record could not be reached in time (Redis down, slow beyond its bound). */
    UNAVAILABLE
}

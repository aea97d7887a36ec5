package io.ticketkeeper;

/** Where a scheduled key stands at one instant. */
public enum KeyState {
    /** Before its not-before time: it opens tickets but seals none yet. */
    STAGED,
    /** It may seal new tickets, and opens tickets. */
    SEALING,
    /** Past its seal-until time: it only opens tickets, which are renewed under a newer key. */
    OPEN_ONLY,
    /** Past its open-until time: it opens nothing and is dropped from the ring. */
    EXPIRED
}

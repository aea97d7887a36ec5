package io.ticketkeeper;

/** TicketKeeper could not do what was asked; the message says what and why. */
public class TicketKeeperException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TicketKeeperException(String message) {
        super(message);
    }

    public TicketKeeperException(String message, Throwable cause) {
        super(message, cause);
    }
}
